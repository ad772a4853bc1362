//! Selector text: splitting lists, joining nested selectors with their
//! parents (`&`), and lessc's whitespace normalisation.

/// Splits a selector list at top-level commas, normalising each.
pub fn split(text: &str) -> Vec<String> {
    super::expr::top_level_positions(text, ',')
        .into_iter()
        .chain(std::iter::once(text.len()))
        .scan(0, |start, end| {
            let piece = normalize(&text[*start..end]);
            *start = end + 1;
            Some(piece)
        })
        .filter(|piece| !piece.is_empty())
        .collect()
}

/// Joins a rule's own selectors with its parents': each `&` stands for a
/// parent (every combination when there are several), otherwise the parent
/// is a descendant prefix. Children vary slowest, as lessc orders them.
/// `None` when the result would have more than `limit` selectors (the
/// combinations grow as parents^ampersands).
pub fn nest(parents: &[String], own: &[String], limit: usize) -> Option<Vec<String>> {
    if parents.is_empty() {
        return (own.len() <= limit).then(|| {
            own.iter()
                .map(|s| s.replace('&', "").trim().to_string())
                .collect()
        });
    }
    let mut result = Vec::new();
    for child in own {
        if child.contains('&') {
            let pieces: Vec<&str> = child.split('&').collect();
            let mut partial = vec![pieces[0].to_string()];
            for piece in &pieces[1..] {
                if partial.len().saturating_mul(parents.len()) > limit {
                    return None;
                }
                partial = partial
                    .iter()
                    .flat_map(|prefix| {
                        parents
                            .iter()
                            .map(move |parent| format!("{prefix}{parent}{piece}"))
                    })
                    .collect();
            }
            result.extend(partial);
        } else {
            result.extend(parents.iter().map(|parent| format!("{parent} {child}")));
        }
        if result.len() > limit {
            return None;
        }
    }
    Some(result)
}

/// Collapses whitespace and puts single spaces around `>`, `+`, `~`
/// combinators (outside brackets and parentheses).
pub fn normalize(text: &str) -> String {
    let mut out = String::new();
    let mut depth = 0;
    let mut pending_space = false;
    for ch in text.trim().chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if depth == 0 && matches!(ch, '>' | '+' | '~') {
            let trimmed = out.trim_end().len();
            out.truncate(trimmed);
            if !out.is_empty() {
                out.push(' ');
            }
            out.push(ch);
            out.push(' ');
            pending_space = false;
            continue;
        }
        if ch.is_whitespace() && depth == 0 {
            pending_space = true;
            continue;
        }
        if pending_space && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
        pending_space = false;
        out.push(ch);
    }
    out.trim().to_string()
}

/// `(min-width:375px)` → `(min-width: 375px)`, whitespace collapsed.
pub fn normalize_media(text: &str) -> String {
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::new();
    let mut chars = collapsed.chars().peekable();
    while let Some(ch) = chars.next() {
        out.push(ch);
        if ch == ':' && chars.peek().is_some_and(|next| !next.is_whitespace()) {
            out.push(' ');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nests_with_ampersand_and_descendants() {
        let parents = vec![".a".to_string(), ".b".to_string()];
        let nest = |parents: &[String], own: &[String]| nest(parents, own, 100).unwrap_or_default();
        assert_eq!(nest(&parents, &[".c".into()]), vec![".a .c", ".b .c"]);
        assert_eq!(nest(&parents, &["&-x".into()]), vec![".a-x", ".b-x"]);
        assert_eq!(nest(&[".t".into()], &["& + &".into()]), vec![".t + .t"]);
        assert_eq!(normalize(".a>.b   .c"), ".a > .b .c");
        assert_eq!(normalize("> .child"), "> .child");
    }

    #[test]
    fn ampersand_combinations_are_bounded() {
        let parents: Vec<String> = vec![".a".into(), ".b".into()];
        let own = vec!["&".repeat(64)];
        assert_eq!(nest(&parents, &own, 1_000_000), None);
        assert_eq!(nest(&parents, &["& &".into()], 4).map(|v| v.len()), Some(4));
    }
}
