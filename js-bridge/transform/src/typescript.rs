//! TypeScript to JavaScript with oxc: types stripped, `enum`s and
//! `namespace`s emitted, parameter properties and legacy (experimental)
//! decorators lowered. Module syntax is left for [`crate::esm`].

use crate::source_map::{Anchor, MapStep};
use oxc::allocator::Allocator;
use oxc::codegen::{Codegen, CodegenOptions};
use oxc::diagnostics::OxcDiagnostic;
use oxc::parser::Parser;
use oxc::semantic::SemanticBuilder;
use oxc::span::SourceType;
use oxc::transformer::{DecoratorOptions, HelperLoaderMode, HelperLoaderOptions, Transformer};
use std::path::{Path, PathBuf};

/// The `babelHelpers` the decorator lowering calls (External helper mode),
/// as tslib defines them, on one line for the module header.
pub(crate) const HELPERS: &str = "var babelHelpers={decorate:function(ds,t,k,d){var c=arguments.length,r=c<3?t:d===null?d=Object.getOwnPropertyDescriptor(t,k):d,f;for(var i=ds.length-1;i>=0;i--)if(f=ds[i])r=(c<3?f(r):c>3?f(t,k,r):f(t,k))||r;return c>3&&r&&Object.defineProperty(t,k,r),r},decorateParam:function(i,f){return function(t,k){f(t,k,i)}},decorateMetadata:function(){return function(){}}};";

/// JavaScript for `source` and the map back to it.
pub(crate) fn strip_types(
    path: &str,
    source: &str,
) -> Result<(String, MapStep), Vec<OxcDiagnostic>> {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::ts()).parse();
    if parsed.panicked || parsed.diagnostics.has_errors() {
        return Err(parsed.diagnostics.into_vec());
    }
    let mut program = parsed.program;
    let built = SemanticBuilder::new()
        .with_check_syntax_error(true)
        .with_enum_eval(true)
        .build(&program);
    if built.diagnostics.has_errors() {
        return Err(built.diagnostics.into_vec());
    }
    let scoping = built.semantic.into_scoping();
    let options = oxc::transformer::TransformOptions {
        decorator: DecoratorOptions {
            legacy: true,
            ..DecoratorOptions::default()
        },
        helper_loader: HelperLoaderOptions {
            mode: HelperLoaderMode::External,
            ..HelperLoaderOptions::default()
        },
        ..oxc::transformer::TransformOptions::default()
    };
    let transformed = Transformer::new(&allocator, Path::new(path), &options)
        .build_with_scoping(scoping, &mut program);
    if transformed.diagnostics.has_errors() {
        return Err(transformed.diagnostics.into_vec());
    }
    let generated = Codegen::new()
        .with_options(CodegenOptions {
            source_map_path: Some(PathBuf::from(path)),
            ..CodegenOptions::default()
        })
        .build(&program);
    let mut anchors: Vec<Anchor> = generated
        .map
        .iter()
        .flat_map(|map| map.get_tokens())
        .map(|token| Anchor {
            generated_line: token.get_dst_line(),
            generated_column: token.get_dst_col(),
            original_line: token.get_src_line(),
            original_column: token.get_src_col(),
            verbatim: true,
        })
        .collect();
    anchors.sort_by_key(|a| (a.generated_line, a.generated_column));
    let step = MapStep {
        lines_kept: false,
        anchors,
    };
    Ok((generated.code, step))
}
