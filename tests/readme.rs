//! The README's screen captures are the committed snapshots, so the README shows the screens
//! the tests check. A changed screen fails here until the README is updated too.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

fn snapshot_lines(path: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(path).unwrap();
    let body = text.splitn(3, "---\n").nth(2).expect("an insta snapshot");
    body.lines()
        .map(|l| {
            l.strip_prefix('"')
                .and_then(|l| l.strip_suffix('"'))
                .unwrap_or(l)
                .trim_end()
                .to_owned()
        })
        .collect()
}

#[test]
fn readme_captures_match_the_snapshots() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("cargo run --release -- demo"));
    assert!(readme.contains(".ci/run"));
    let mut checked = 0;
    let mut rest = readme.as_str();
    while let Some(i) = rest.find("<!-- capture: ") {
        rest = &rest[i + "<!-- capture: ".len()..];
        let path = &rest[..rest.find(" -->").unwrap()];
        let block = &rest[rest.find("```text\n").unwrap() + "```text\n".len()..];
        let block = &block[..block.find("\n```").unwrap()];
        let shown: Vec<&str> = block.lines().collect();
        assert_eq!(
            shown,
            snapshot_lines(&root.join(path)),
            "README capture of {path} is out of date"
        );
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} captures found");
}
