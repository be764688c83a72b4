//! The `$filter` text of ARM lists: terms joined by ` and ` (any case). Pure.

/// The terms of `text`, trimmed, split at each ` and ` (any case).
pub(crate) fn and_terms(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    let mut start = 0;
    let mut terms = Vec::new();
    for (at, _) in lower.match_indices(" and ") {
        terms.push(text[start..at].trim());
        start = at + " and ".len();
    }
    terms.push(text[start..].trim());
    terms
}

#[cfg(test)]
mod tests {
    use super::and_terms;

    #[test]
    fn terms_split_at_and_in_any_case() {
        assert_eq!(
            and_terms("a eq 'x' AND b eq 'y' and  atScope()"),
            ["a eq 'x'", "b eq 'y'", "atScope()"]
        );
        assert_eq!(and_terms("brand eq 'x'"), ["brand eq 'x'"]);
    }
}
