//! Issue 10: the TUI draws the estate's first rows before its walk of the estate ends. The
//! real binary in a pseudo-terminal against an `apim-dr emulator` process serving the
//! estate of the discovery bench (22 subscriptions one per page, 508 services two per page,
//! 21 storage accounts, 4 009 blobs at most four per page) with 20 ms on every reply.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cli::EmulatorProcess;
use common::pty::Tui;

#[test]
fn first_rows_show_while_the_walk_goes_on_and_none_is_said_only_once_it_ends() {
    let emu = EmulatorProcess::start(&[
        "--world",
        "gen:estate",
        "--latency",
        "20",
        "--subscription-page-size",
        "1",
        "--service-page-size",
        "2",
        "--blob-page-size",
        "4",
    ]);
    let dir = tempfile::tempdir().unwrap();
    let mut tui = Tui::spawn(
        &[],
        dir.path(),
        &[
            ("APIM_DR_ARM_ENDPOINT", &emu.endpoint),
            ("APIM_DR_ACCESS_TOKEN", &emu.token),
            ("APIM_DR_STORAGE_TOKEN", &emu.token),
        ],
    );

    // The first service rows are drawn while listings are still loading (the crumbs' ⟳),
    // and a service whose backups are not listed yet says "…", never "none" or "—".
    let first = tui.wait_for("apim-gen-", 60);
    assert!(
        first.contains("⟳ loading"),
        "the first rows came only after the walk ended:\n{first}"
    );
    let classic = ["Developer ×", "Basic ×", "Standard ×", "Premium ×"];
    for row in first
        .lines()
        .filter(|l| classic.iter().any(|t| l.contains(t)))
    {
        assert!(
            !row.contains(" none") && !row.contains('—'),
            "a backup still being listed was said to be none:\n{first}"
        );
    }

    // The walk ends: nothing loads any more, and the rows are still there.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let last = loop {
        let text = tui.text();
        if !text.contains("⟳ loading") {
            break text;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the walk did not end:\n{text}"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    };
    assert!(last.contains("apim-gen-"), "{last}");
    tui.keys("q");
    assert!(tui.wait_exit(10).success());
}
