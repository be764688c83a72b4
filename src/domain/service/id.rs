//! A service's ARM id, kept only when it is not the usual
//! `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.ApiManagement/service/{name}`
//! rebuilt byte for byte from the service's subscription, resource group and name (most are):
//! read whole ([`ServiceSummary::id`]) or compared piece by piece without being rebuilt. Pure.

use std::borrow::Cow;

use super::ServiceSummary;

/// The usual id's pieces, in order.
fn pieces<'a>(subscription: &'a str, group: &'a str, name: &'a str) -> [&'a str; 6] {
    [
        "/subscriptions/",
        subscription,
        "/resourceGroups/",
        group,
        "/providers/Microsoft.ApiManagement/service/",
        name,
    ]
}

/// True when `pieces`, end to end, equal `whole` by `same` (piece by piece, so nothing is
/// built).
pub(super) fn spells(pieces: &[&str], whole: &str, same: impl Fn(&[u8], &[u8]) -> bool) -> bool {
    let mut rest = whole.as_bytes();
    for piece in pieces {
        let Some((head, tail)) = rest.split_at_checked(piece.len()) else {
            return false;
        };
        if !same(head, piece.as_bytes()) {
            return false;
        }
        rest = tail;
    }
    rest.is_empty()
}

/// `id` unless it is the usual id of the service `name` in `subscription` and `group`.
pub(super) fn unusual(id: String, subscription: &str, group: &str, name: &str) -> Option<Box<str>> {
    let usual = spells(&pieces(subscription, group, name), &id, |a, b| a == b);
    (!usual).then(|| id.into_boxed_str())
}

impl ServiceSummary {
    /// The id's pieces: the kept id (then nothing), or the usual id's.
    fn id_pieces(&self) -> [&str; 6] {
        match &self.other_id {
            Some(id) => [id, "", "", "", "", ""],
            None => pieces(&self.subscription_id, &self.resource_group, &self.name),
        }
    }

    /// Full ARM resource id, as ARM returned it.
    pub fn id(&self) -> Cow<'_, str> {
        match &self.other_id {
            Some(id) => Cow::Borrowed(id),
            None => Cow::Owned(self.id_pieces().concat()),
        }
    }

    /// True when the id is `other`, byte for byte.
    pub fn id_is(&self, other: &str) -> bool {
        spells(&self.id_pieces(), other, |a, b| a == b)
    }

    /// True when the id is `other` but for ASCII case (as Azure compares ids).
    pub fn id_is_ignoring_case(&self, other: &str) -> bool {
        spells(&self.id_pieces(), other, <[u8]>::eq_ignore_ascii_case)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const USUAL: &str =
        "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ApiManagement/service/apim-a";

    #[test]
    fn only_an_id_the_service_cannot_rebuild_is_kept() {
        assert_eq!(unusual(USUAL.to_owned(), "s", "rg", "apim-a"), None);
        let lower = USUAL.replace("resourceGroups", "resourcegroups");
        assert_eq!(
            unusual(lower.clone(), "s", "rg", "apim-a").as_deref(),
            Some(lower.as_str())
        );
        let longer = format!("{USUAL}/x");
        assert!(unusual(longer, "s", "rg", "apim-a").is_some());
        assert!(unusual(USUAL.to_owned(), "s", "rg", "apim-b").is_some());
    }

    #[test]
    fn pieces_compare_as_the_whole() {
        let p = pieces("s", "rg", "apim-a");
        assert!(spells(&p, USUAL, |a, b| a == b));
        assert!(!spells(&p, &USUAL.to_uppercase(), |a, b| a == b));
        assert!(spells(
            &p,
            &USUAL.to_uppercase(),
            <[u8]>::eq_ignore_ascii_case
        ));
        assert!(!spells(&p, &USUAL[..USUAL.len() - 1], |a, b| a == b));
        assert!(!spells(&p, "", |a, b| a == b));
    }
}
