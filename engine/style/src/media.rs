//! Evaluates `@media` conditions as float-pigment prints them
//! (`Rule::get_media_query_string_list()`): one string per nesting level,
//! each a comma-separated list of queries, each `[not |only ]cond and cond`
//! where a cond is `all`, `screen`, `unknown` or `(feature: value)`.
//!
//! Skyline supports only `prefers-color-scheme` (<https://developers.weixin.qq.com/miniprogram/dev/framework/runtime/skyline/wxss.html>); the size and
//! orientation features are evaluated too because float-pigment parses them
//! and they cost nothing. Conditions are fixed per page load (viewport and
//! theme are load options), so rules are filtered once at load time.

/// What media queries are evaluated against.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MediaEnvironment {
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) dark: bool,
}

/// All nesting levels must hold.
pub(crate) fn media_list_matches(levels: &[String], env: &MediaEnvironment) -> bool {
    levels.iter().all(|level| level_matches(level, env))
}

fn level_matches(level: &str, env: &MediaEnvironment) -> bool {
    level
        .split(',')
        .any(|query| query_matches(query.trim(), env))
}

fn query_matches(query: &str, env: &MediaEnvironment) -> bool {
    let (negate, only, body) = if let Some(rest) = query.strip_prefix("not ") {
        (true, false, rest)
    } else if let Some(rest) = query.strip_prefix("only ") {
        (false, true, rest)
    } else {
        (false, false, query)
    };
    // float-pigment applies `not` to each condition, and every one must hold.
    body.split(" and ").all(|cond| {
        let matched = cond_matches(cond.trim(), env, !only);
        matched != negate
    })
}

fn cond_matches(cond: &str, env: &MediaEnvironment, allow_unknown: bool) -> bool {
    match cond {
        "all" | "screen" => return true,
        "none" => return false,
        "unknown" => return allow_unknown,
        _ => {}
    }
    let Some(inner) = cond.strip_prefix('(').and_then(|c| c.strip_suffix(')')) else {
        return allow_unknown;
    };
    let Some((feature, value)) = inner.split_once(':') else {
        return allow_unknown;
    };
    let value = value.trim();
    let px = || value.trim_end_matches("px").trim().parse::<f32>().ok();
    match feature.trim() {
        "prefers-color-scheme" => match value {
            "dark" => env.dark,
            "light" => !env.dark,
            _ => false,
        },
        "orientation" => match value {
            "portrait" => env.width <= env.height,
            "landscape" => env.width > env.height,
            _ => false,
        },
        "width" => px().is_some_and(|v| env.width == v),
        "min-width" => px().is_some_and(|v| env.width >= v),
        "max-width" => px().is_some_and(|v| env.width <= v),
        "height" => px().is_some_and(|v| env.height == v),
        "min-height" => px().is_some_and(|v| env.height >= v),
        "max-height" => px().is_some_and(|v| env.height <= v),
        _ => allow_unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dark_mode_and_sizes() {
        let dark = MediaEnvironment {
            width: 375.0,
            height: 667.0,
            dark: true,
        };
        let light = MediaEnvironment {
            dark: false,
            ..dark
        };
        let q = vec!["(prefers-color-scheme: dark)".to_owned()];
        assert!(media_list_matches(&q, &dark));
        assert!(!media_list_matches(&q, &light));
        let not_dark = vec!["not (prefers-color-scheme: dark)".to_owned()];
        assert!(media_list_matches(&not_dark, &light));
        let sized = vec!["screen and (min-width: 400px)".to_owned()];
        assert!(!media_list_matches(&sized, &dark));
        let either = vec!["(min-width: 400px), (orientation: portrait)".to_owned()];
        assert!(media_list_matches(&either, &dark));
    }
}
