//! "Did you mean": the known names nearest to one the operator typed. Pure.

/// Edit distance between `a` and `b`, ignoring case (Levenshtein over chars).
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = if ca == cb {
                prev
            } else {
                1 + prev.min(here).min(row[j])
            };
            prev = here;
        }
    }
    row[b.len()]
}

/// Up to three of `known` close to `wanted`: within a third of its length in edits (at least
/// two), or containing it; nearest first.
pub fn did_you_mean<'a>(wanted: &str, known: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let limit = (wanted.chars().count() / 3).max(2);
    let lower = wanted.to_lowercase();
    let mut near: Vec<(usize, &str)> = known
        .into_iter()
        .filter_map(|k| {
            let d = distance(wanted, k);
            (d <= limit || k.to_lowercase().contains(&lower)).then_some((d, k))
        })
        .collect();
    near.sort_unstable();
    near.dedup_by(|a, b| a.1 == b.1);
    near.into_iter().take(3).map(|(_, k)| k).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_and_parts_are_suggested_nearest_first() {
        let known = ["apim-contoso-weu", "apim-contoso-neu", "apim-fabrikam"];
        assert_eq!(
            did_you_mean("apim-contoso-wue", known),
            ["apim-contoso-weu", "apim-contoso-neu"]
        );
        assert_eq!(did_you_mean("fabrikam", known), ["apim-fabrikam"]);
        assert!(did_you_mean("zzz", known).is_empty());
    }

    #[test]
    fn distance_counts_edits_ignoring_case() {
        assert_eq!(distance("Kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("ABC", "abc"), 0);
    }
}
