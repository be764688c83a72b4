//! Issue 12, drill mode from the TUI over the emulator: `D` on apim-contoso-weu,
//! apim-contoso-neu typed, and the real effect runner takes a fresh backup where its backups
//! are, runs the restore's pre-flight, restores that backup into the standby and verifies it.

use crossterm::event::KeyCode;

use super::live::{demo_with_selected, run_until};
use crate::app::drill::DrillStage;
use crate::domain::operation::Outcome;
use crate::domain::verification::verified;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_drill_backs_up_restores_into_the_standby_and_verifies() {
    let (h, _dir, mut live) = demo_with_selected("apim-contoso-weu").await;

    live.press(KeyCode::Char('D')).await;
    let d = live.state.drill.as_deref().expect("D opens the drill");
    assert_eq!(
        d.selected().map(|t| t.name.as_str()),
        Some("apim-contoso-neu")
    );
    live.type_text("apim-contoso-neu").await;
    live.press(KeyCode::Enter).await;

    run_until(&mut live, |s| s.drill.as_ref().is_some_and(|d| d.ended())).await;
    let d = live.state.drill.as_deref().unwrap();
    assert!(
        matches!(d.stage, DrillStage::Restored(_, Outcome::Succeeded)),
        "{:?}",
        d.stage
    );
    assert!(
        d.verified.as_ref().is_some_and(verified),
        "{:?}",
        d.verified
    );
    let posts: Vec<String> = h
        .requests()
        .iter()
        .filter(|r| {
            r.method == "POST" && (r.path.ends_with("/backup") || r.path.ends_with("/restore"))
        })
        .map(|r| r.path.clone())
        .collect();
    assert_eq!(posts.len(), 2, "{posts:?}");
    assert!(
        posts[0].contains("/service/apim-contoso-weu/backup"),
        "{posts:?}"
    );
    assert!(
        posts[1].contains("/service/apim-contoso-neu/restore"),
        "{posts:?}"
    );
    let backup = d.backup.as_ref().unwrap();
    let restored_from = h
        .snapshot()
        .service("apim-contoso-neu")
        .and_then(|s| s.restored_from.clone())
        .expect("the standby was restored");
    assert_eq!(
        (
            restored_from.account.as_str(),
            restored_from.container.as_str(),
            restored_from.blob.as_str()
        ),
        (
            backup.account.as_str(),
            backup.container.as_str(),
            backup.blob.as_str()
        ),
        "from the drill's own backup"
    );
    live.runner.shutdown().await;
}
