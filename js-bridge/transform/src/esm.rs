//! ES module syntax lowered to CommonJS, in place.
//!
//! Each `import`/`export` statement is replaced where it stands (its lines
//! are kept), uses of imported bindings become member reads of the
//! required module (`_m.x`, so bindings stay live and cycles behave in
//! CommonJS order), and the hoisted part (strict mode, `__esModule`,
//! export getters, the `require`s) is one line of code put before the
//! file's first line. So the result needs no source map beyond the column
//! shifts on edited lines (see [`crate::edits`]).
//!
//! Semantics follow babel's loose CommonJS transform, except that local
//! exports are getters on `exports` (live, like babel's re-assignments)
//! rather than copied values. A module that also assigns `module.exports`
//! replaces the object those getters live on, as under babel: whatever
//! `module.exports` holds last is what importers see.
//! Why by hand: oxc has no CommonJS module transform, and a span rewrite
//! keeps positions that regenerating the file would lose.

use crate::edits::{apply, Edit};
use crate::source_map::MapStep;
use crate::text::{js_string, member};
use crate::worklet;
use oxc::allocator::Allocator;
use oxc::ast::ast::{
    Declaration, ExportDefaultDeclarationKind, ModuleDeclaration, ModuleExportName, Statement,
};
use oxc::ast::AstKind;
use oxc::diagnostics::OxcDiagnostic;
use oxc::parser::Parser;
use oxc::semantic::{Semantic, SemanticBuilder, SymbolId};
use oxc::span::{GetSpan, SourceType};
use std::collections::HashMap;

pub(crate) enum Lowered {
    /// No module syntax and no worklet: run the file as it is (with the
    /// worklet transform's warnings, if any).
    Unchanged(worklet::Found),
    /// The new text and its map; the worklets found (their edits applied).
    Rewritten(String, MapStep, worklet::Found),
    Failed(Vec<OxcDiagnostic>),
}

/// `m && m.__esModule ? m : {default: m}` (babel's interopRequireDefault).
const INTEROP_DEFAULT: &str = "function _cirrus$default(m){return m&&m.__esModule?m:{default:m}}";
/// An ES module as is; a CommonJS one as a namespace of its own
/// properties plus `default` (babel's interopRequireWildcard, loosely).
const INTEROP_WILDCARD: &str = "function _cirrus$wildcard(m){if(m&&m.__esModule)return m;var n={};if(m!=null&&(typeof m==='object'||typeof m==='function'))for(var k in m)if(k!=='default'&&Object.prototype.hasOwnProperty.call(m,k))n[k]=m[k];n.default=m;return n}";

/// What an imported binding (or a re-export) reads from its module.
#[derive(Clone, Debug)]
enum Import {
    Default,
    Named(String),
    Namespace,
}

#[derive(Default)]
struct Source {
    specifier: String,
    uses_default: bool,
    uses_named: bool,
    uses_namespace: bool,
}

impl Source {
    fn variable(index: usize) -> String {
        format!("_cirrus$m{index}")
    }
}

/// What an export getter returns.
enum ExportValue {
    Local(String),
    Imported(usize, Import),
}

#[derive(Default)]
struct Lowering {
    sources: Vec<Source>,
    imports: HashMap<SymbolId, (usize, Import)>,
    exports: Vec<(String, ExportValue)>,
    star_exports: Vec<usize>,
    edits: Vec<Edit>,
}

impl Lowering {
    fn source(&mut self, specifier: &str) -> usize {
        if let Some(index) = self.sources.iter().position(|s| s.specifier == specifier) {
            return index;
        }
        self.sources.push(Source {
            specifier: specifier.to_owned(),
            ..Source::default()
        });
        self.sources.len() - 1
    }

    fn note_use(&mut self, index: usize, import: &Import) {
        let source = &mut self.sources[index];
        match import {
            Import::Default => source.uses_default = true,
            Import::Named(_) => source.uses_named = true,
            Import::Namespace => source.uses_namespace = true,
        }
    }

    fn access(&self, index: usize, import: &Import) -> String {
        let variable = Source::variable(index);
        match import {
            Import::Default => member(&variable, "default"),
            Import::Named(name) => member(&variable, name),
            Import::Namespace => variable,
        }
    }
}

/// Lowers `source` when it has module syntax, `import()` or worklets
/// ([`crate::worklet`], sharing this parse). `extra_header` (helpers the
/// TypeScript step's output calls) forces a rewrite.
pub(crate) fn lower(source: &str, extra_header: &str, context: &worklet::Context<'_>) -> Lowered {
    let allocator = Allocator::default();
    let parsed = Parser::new(&allocator, source, SourceType::unambiguous()).parse();
    let is_module = parsed.module_record.has_module_syntax;
    if parsed.panicked || parsed.diagnostics.has_errors() {
        // A script with no module syntax is QuickJS's to judge.
        return if is_module {
            Lowered::Failed(parsed.diagnostics.into_vec())
        } else {
            Lowered::Unchanged(worklet::Found::default())
        };
    }
    let program = parsed.program;
    let built = SemanticBuilder::new()
        .with_check_syntax_error(is_module)
        .with_build_nodes(true)
        .build(&program);
    if is_module && built.diagnostics.has_errors() {
        return Lowered::Failed(built.diagnostics.into_vec());
    }
    let semantic = built.semantic;
    let mut lowering = Lowering::default();
    for statement in &program.body {
        if let Some(declaration) = statement.as_module_declaration() {
            collect_statement(&mut lowering, &semantic, declaration);
        } else if let Statement::ExpressionStatement(_) = statement {
            // nothing: dynamic imports are found below wherever they are
        }
    }
    let mut dynamic_imports = false;
    for node in semantic.nodes().iter() {
        if let AstKind::ImportExpression(expression) = node.kind() {
            let start = expression.span.start;
            lowering.edits.push(Edit::replace(
                start,
                start + "import".len() as u32,
                "require.async",
            ));
            dynamic_imports = true;
        }
    }
    let mut worklets = worklet::collect(
        source,
        &program,
        &semantic,
        &|symbol| {
            let (index, import) = lowering.imports.get(&symbol)?;
            Some(lowering.access(*index, import))
        },
        context,
    );
    if !is_module && !dynamic_imports && extra_header.is_empty() && worklets.edits.is_empty() {
        return Lowered::Unchanged(worklets);
    }
    rewrite_references(&mut lowering, &semantic);
    // At equal offsets edits apply in this order: the header (its "use
    // strict" must come first), the worklets' (a worklet's closing before
    // the `;` ending an anonymous default export), then the module's.
    let mut edits = vec![Edit::replace(
        0,
        0,
        header(&lowering, is_module, extra_header),
    )];
    edits.append(&mut worklets.edits);
    edits.append(&mut lowering.edits);
    let (code, step) = apply(source, edits);
    Lowered::Rewritten(code, step, worklets)
}

fn export_name(name: &ModuleExportName<'_>) -> String {
    name.name().to_string()
}

fn collect_statement(
    lowering: &mut Lowering,
    semantic: &Semantic<'_>,
    declaration: &ModuleDeclaration<'_>,
) {
    match declaration {
        ModuleDeclaration::ImportDeclaration(import) => {
            lowering
                .edits
                .push(Edit::replace(import.span.start, import.span.end, ""));
            let index = lowering.source(import.source.value.as_str());
            for specifier in import.specifiers.iter().flatten() {
                use oxc::ast::ast::ImportDeclarationSpecifier as S;
                let (local, kind) = match specifier {
                    S::ImportSpecifier(s) => match export_name(&s.imported).as_str() {
                        "default" => (&s.local, Import::Default),
                        name => (&s.local, Import::Named(name.to_owned())),
                    },
                    S::ImportDefaultSpecifier(s) => (&s.local, Import::Default),
                    S::ImportNamespaceSpecifier(s) => (&s.local, Import::Namespace),
                };
                lowering.note_use(index, &kind);
                if let Some(symbol) = local.symbol_id.get() {
                    lowering.imports.insert(symbol, (index, kind));
                }
            }
        }
        ModuleDeclaration::ExportDeclaration(export) => {
            let declaration_start = export.declaration.span().start;
            lowering
                .edits
                .push(Edit::replace(export.span.start, declaration_start, ""));
            for name in declared_names(&export.declaration) {
                lowering
                    .exports
                    .push((name.clone(), ExportValue::Local(name)));
            }
        }
        ModuleDeclaration::ExportNamedDeclaration(export) => {
            lowering
                .edits
                .push(Edit::replace(export.span.start, export.span.end, ""));
            for specifier in &export.specifiers {
                let exported = export_name(&specifier.exported);
                let value = match &specifier.local {
                    ModuleExportName::IdentifierReference(reference) => {
                        let symbol = reference
                            .reference_id
                            .get()
                            .and_then(|id| semantic.scoping().get_reference(id).symbol_id());
                        match symbol.and_then(|s| lowering.imports.get(&s)) {
                            Some((index, import)) => ExportValue::Imported(*index, import.clone()),
                            None => ExportValue::Local(reference.name.to_string()),
                        }
                    }
                    other => ExportValue::Local(export_name(other)),
                };
                lowering.exports.push((exported, value));
            }
        }
        ModuleDeclaration::ExportFromDeclaration(export) => {
            lowering
                .edits
                .push(Edit::replace(export.span.start, export.span.end, ""));
            let index = lowering.source(export.source.value.as_str());
            for specifier in &export.specifiers {
                let import = match export_name(&specifier.local).as_str() {
                    "default" => Import::Default,
                    name => Import::Named(name.to_owned()),
                };
                lowering.note_use(index, &import);
                let exported = export_name(&specifier.exported);
                lowering
                    .exports
                    .push((exported, ExportValue::Imported(index, import)));
            }
        }
        ModuleDeclaration::ExportAllDeclaration(export) => {
            lowering
                .edits
                .push(Edit::replace(export.span.start, export.span.end, ""));
            let index = lowering.source(export.source.value.as_str());
            match &export.exported {
                Some(name) => {
                    lowering.note_use(index, &Import::Namespace);
                    lowering.exports.push((
                        export_name(name),
                        ExportValue::Imported(index, Import::Namespace),
                    ));
                }
                None => lowering.star_exports.push(index),
            }
        }
        ModuleDeclaration::ExportDefaultDeclaration(export) => {
            let start = export.span.start;
            let named = |id: Option<&oxc::ast::ast::BindingIdentifier<'_>>| {
                id.map(|id| id.name.to_string())
            };
            match &export.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(function) => {
                    default_declaration(lowering, start, function.span, named(function.id.as_ref()))
                }
                ExportDefaultDeclarationKind::ClassDeclaration(class) => {
                    default_declaration(lowering, start, class.span, named(class.id.as_ref()))
                }
                ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {}
                expression => {
                    let expression_start = expression.span().start;
                    lowering.edits.push(Edit::replace(
                        start,
                        expression_start,
                        "exports.default = ",
                    ));
                }
            }
        }
        ModuleDeclaration::TSExportAssignment(_)
        | ModuleDeclaration::TSNamespaceExportDeclaration(_) => {}
    }
}

/// `export default function f() {}` keeps the declaration (hoisted, as in
/// ES modules) and exports it by name; an anonymous one becomes an
/// assignment.
fn default_declaration(
    lowering: &mut Lowering,
    export_start: u32,
    declaration: oxc::span::Span,
    name: Option<String>,
) {
    match name {
        Some(name) => {
            lowering
                .edits
                .push(Edit::replace(export_start, declaration.start, ""));
            lowering
                .exports
                .push(("default".into(), ExportValue::Local(name)));
        }
        None => {
            lowering.edits.push(Edit::replace(
                export_start,
                declaration.start,
                "exports.default = ",
            ));
            lowering
                .edits
                .push(Edit::replace(declaration.end, declaration.end, ";"));
        }
    }
}

fn declared_names(declaration: &Declaration<'_>) -> Vec<String> {
    match declaration {
        Declaration::VariableDeclaration(variables) => variables
            .declarations
            .iter()
            .flat_map(|declarator| declarator.id.get_binding_identifiers())
            .map(|id| id.name.to_string())
            .collect(),
        Declaration::FunctionDeclaration(function) => {
            function.id.iter().map(|id| id.name.to_string()).collect()
        }
        Declaration::ClassDeclaration(class) => {
            class.id.iter().map(|id| id.name.to_string()).collect()
        }
        _ => Vec::new(),
    }
}

/// Every read of an imported binding becomes a read of the module's
/// property; a call through one gets no `this` (`(0, _m.f)()`), as babel.
fn rewrite_references(lowering: &mut Lowering, semantic: &Semantic<'_>) {
    let nodes = semantic.nodes();
    let mut edits = Vec::new();
    for (symbol, (index, import)) in &lowering.imports {
        let access = lowering.access(*index, import);
        for reference in semantic.scoping().get_resolved_references(*symbol) {
            let node = reference.node_id();
            let AstKind::IdentifierReference(identifier) = nodes.kind(node) else {
                continue;
            };
            let span = identifier.span;
            let text = match nodes.parent_kind(node) {
                AstKind::CallExpression(call) if call.callee.span() == span => {
                    format!("(0, {access})")
                }
                AstKind::TaggedTemplateExpression(tagged) if tagged.tag.span() == span => {
                    format!("(0, {access})")
                }
                AstKind::ObjectProperty(property) if property.shorthand => {
                    format!("{}: {access}", identifier.name)
                }
                _ => access.clone(),
            };
            edits.push(Edit::replace(span.start, span.end, text));
        }
    }
    lowering.edits.extend(edits);
}

/// The hoisted code, on one line.
fn header(lowering: &Lowering, is_module: bool, extra_header: &str) -> String {
    let mut header = String::new();
    if is_module {
        header.push_str("\"use strict\";exports.__esModule = true;");
    }
    header.push_str(extra_header);
    let wildcard = |s: &Source| s.uses_namespace || (s.uses_default && s.uses_named);
    if lowering.sources.iter().any(wildcard) {
        header.push_str(INTEROP_WILDCARD);
        header.push(';');
    }
    if lowering
        .sources
        .iter()
        .any(|s| s.uses_default && !wildcard(s))
    {
        header.push_str(INTEROP_DEFAULT);
        header.push(';');
    }
    for (name, value) in &lowering.exports {
        let value = match value {
            ExportValue::Local(local) => local.clone(),
            ExportValue::Imported(index, import) => lowering.access(*index, import),
        };
        header.push_str(&format!(
            "Object.defineProperty(exports,{},{{enumerable:true,configurable:true,get:function(){{return {value}}}}});",
            js_string(name)
        ));
    }
    for (index, source) in lowering.sources.iter().enumerate() {
        let required = format!("require({})", js_string(&source.specifier));
        let value = if wildcard(source) {
            format!("_cirrus$wildcard({required})")
        } else if source.uses_default {
            format!("_cirrus$default({required})")
        } else {
            required
        };
        header.push_str(&format!("var {} = {value};", Source::variable(index)));
        if lowering.star_exports.contains(&index) {
            let module = Source::variable(index);
            header.push_str(&format!(
                "Object.keys({module}).forEach(function(k){{if(k==='default'||k==='__esModule'||Object.prototype.hasOwnProperty.call(exports,k))return;Object.defineProperty(exports,k,{{enumerable:true,configurable:true,get:function(){{return {module}[k]}}}})}});"
            ));
        }
    }
    header
}
