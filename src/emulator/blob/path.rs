//! The path a Blob request reaches, as the emulator takes Azure's front end to read it:
//! `.` and `..` segments removed as URLs remove them (RFC 3986, section 5.2.4), and trailing
//! dots dropped from every segment. Azure's page "Naming and Referencing Containers, Blobs,
//! and Metadata" says to avoid names that end with a dot and that no path segment should end
//! with one; what the service does with such a name is not documented. The trailing-dot rule
//! is `[infer]`, from reports that a blob name ending in `.` is refused with
//! `AuthenticationFailed` (the signed path and the read path differ): see docs/FIDELITY.md.
//!
//! Both the Shared Key check (the canonicalized resource) and the routing use the path read
//! this way, so a client that signs a dot segment as typed gets that `AuthenticationFailed`.

/// A request path (percent-encoded, as received) as the service reads it.
pub(crate) fn request_path(raw: &str) -> String {
    let decoded = |s: &str| -> String {
        percent_encoding::percent_decode_str(s)
            .decode_utf8_lossy()
            .into_owned()
    };
    // The path's first (empty) segment is its root: `..` never climbs above it.
    read(
        raw,
        1,
        |seg| dot(&decoded(seg)),
        |seg| {
            seg.strip_suffix('.')
                .or_else(|| seg.strip_suffix("%2E"))
                .or_else(|| seg.strip_suffix("%2e"))
        },
    )
}

/// The blob a backup written to (or a restore read from) `name` reaches: the name as
/// API Management's storage client would put it in a URL, read as [`request_path`] reads it.
/// `[infer]`: API Management does not document what it does with such a name.
pub(crate) fn stored_blob_name(name: &str) -> String {
    read(name, 0, dot, |seg| seg.strip_suffix('.'))
}

/// What a segment is to URL normalisation.
enum Dot {
    No,
    One,
    Two,
}

fn dot(segment: &str) -> Dot {
    match segment {
        "." => Dot::One,
        ".." => Dot::Two,
        _ => Dot::No,
    }
}

/// Removes dot segments (never popping the first `floor` segments) and trailing dots.
fn read<'a>(
    path: &'a str,
    floor: usize,
    kind: impl Fn(&str) -> Dot,
    strip_dot: impl Fn(&'a str) -> Option<&'a str>,
) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len().saturating_sub(1);
    for (i, seg) in segments.into_iter().enumerate() {
        let is_dot = match kind(seg) {
            Dot::No => {
                out.push(strip_trailing(seg, &strip_dot));
                false
            }
            Dot::One => true,
            Dot::Two => {
                if out.len() > floor {
                    out.pop();
                }
                true
            }
        };
        // A dot segment at the end leaves the path ending in '/', as URLs do.
        if i == last && is_dot {
            out.push("");
        }
    }
    out.join("/")
}

/// `name.` loses its dot; a segment of dots only is a name, not a dot segment, and is kept.
fn strip_trailing<'a>(seg: &'a str, strip_dot: impl Fn(&'a str) -> Option<&'a str>) -> &'a str {
    let mut s = seg;
    while let Some(rest) = strip_dot(s) {
        if rest.is_empty() {
            return seg;
        }
        s = rest;
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dot_segments_go_as_in_urls() {
        assert_eq!(request_path("/acct/c/a/./b"), "/acct/c/a/b");
        assert_eq!(request_path("/acct/c/a/../b"), "/acct/c/b");
        assert_eq!(request_path("/acct/c/a/%2e%2E/b"), "/acct/c/b");
        assert_eq!(request_path("/acct/c/a/.."), "/acct/c/");
        assert_eq!(request_path("/../../acct/c"), "/acct/c");
        assert_eq!(
            request_path("/acct/c/prod/nightly.apimbackup"),
            "/acct/c/prod/nightly.apimbackup"
        );
    }

    #[test]
    fn trailing_dots_are_dropped_infer() {
        assert_eq!(request_path("/acct/c/nightly."), "/acct/c/nightly");
        assert_eq!(request_path("/acct/c/prod../x%2E"), "/acct/c/prod/x");
        assert_eq!(request_path("/acct/c/.hidden"), "/acct/c/.hidden");
    }

    #[test]
    fn a_backup_name_reaches_the_blob_its_url_reaches() {
        assert_eq!(
            stored_blob_name("prod/../nightly.apimbackup"),
            "nightly.apimbackup"
        );
        assert_eq!(stored_blob_name("prod/./a."), "prod/a");
        assert_eq!(stored_blob_name("%2e/a%2e"), "%2e/a%2e");
        assert_eq!(stored_blob_name("/a/../b"), "/b");
        assert_eq!(stored_blob_name("../x"), "x");
        assert_eq!(
            stored_blob_name("prod/2026.apimbackup"),
            "prod/2026.apimbackup"
        );
    }
}
