//! The TUI over the emulator for tests: an engine over loopback, the real effect runner, and
//! `update` fed with every answer.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use time::OffsetDateTime;
use tokio::sync::mpsc;

use super::EffectRunner;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::{AppOptions, AppState};
use crate::app::{Keymap, update};
use crate::azure::auth::TokenSource;
use crate::azure::{AzureClient, ClientOptions};
use crate::engine::Engine;
use crate::journal::Journal;

/// An engine over the emulator `h`, its journal in `dir`.
pub(super) fn engine(h: &crate::emulator::EmulatorHandle, dir: &std::path::Path) -> Engine {
    let client = AzureClient::new(
        ClientOptions::new(h.arm_endpoint()),
        TokenSource::fixed(h.token(), None),
    )
    .unwrap();
    let journal = Journal::open(&dir.join("journal.jsonl")).unwrap();
    Engine::from_client(client, journal, false)
}

/// The TUI over the emulator: every effect is run by the real effect runner and its answer
/// fed back to `update`, until nothing is outstanding.
pub(super) struct Live {
    pub state: AppState,
    pub runner: EffectRunner,
    pub rx: mpsc::Receiver<Action>,
}

impl Live {
    pub async fn start(h: &crate::emulator::EmulatorHandle, dir: &std::path::Path) -> Self {
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let runner = EffectRunner::new(engine(h, dir), None, tx);
        let (state, effects) = AppState::new(AppOptions {
            rpo_hours: 24,
            read_only: false,
            keymap: Keymap::default_embedded(),
            now: OffsetDateTime::now_utc(),
            context_label: "demo emulator".into(),
            starts_over: true,
            arm_endpoint: h.arm_endpoint().to_string(),
            api_version: "2024-05-01".into(),
        });
        let mut live = Self { state, runner, rx };
        live.settle(effects).await;
        live
    }

    /// Runs `effects`, and those their answers lead to, until each has answered: a walk of
    /// the estate answers many times, so for walks it waits until no listing is loading.
    pub async fn settle(&mut self, effects: Vec<Effect>) {
        let mut outstanding = answers(&effects);
        self.runner.run(effects);
        while outstanding > 0 || self.state.estate_loading() {
            let action = tokio::time::timeout(std::time::Duration::from_secs(30), self.rx.recv())
                .await
                .unwrap()
                .unwrap();
            if !is_listing(&action) {
                outstanding -= 1;
            }
            let more = update(&mut self.state, action);
            outstanding += answers(&more);
            self.runner.run(more);
        }
    }

    pub async fn press(&mut self, code: KeyCode) {
        let action = self
            .state
            .resolve_key(KeyEvent::new(code, KeyModifiers::NONE))
            .unwrap();
        let effects = update(&mut self.state, action);
        self.settle(effects).await;
    }

    pub async fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.press(KeyCode::Char(c)).await;
        }
    }

    pub fn expired(&self) -> Vec<String> {
        let now = self.state.now;
        crate::app::catalog::all_backups(&self.state)
            .filter(|b| b.is_expired(now))
            .map(crate::domain::backup::BackupEntry::display_ref)
            .collect()
    }
}

/// How many answers `effects` have besides the estate's listings.
fn answers(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| {
            !matches!(
                e,
                Effect::WalkEstate
                    | Effect::FetchServices { .. }
                    | Effect::FetchStorageAccounts { .. }
                    | Effect::FetchBackups { .. }
                    | Effect::SaveInventory { .. }
            )
        })
        .count()
}

/// True for a listing of the estate, the answer of a walk.
fn is_listing(action: &Action) -> bool {
    matches!(
        action,
        Action::SubscriptionsLoaded(_)
            | Action::ServicesLoaded { .. }
            | Action::StorageAccountsLoaded { .. }
            | Action::BackupsLoaded { .. }
    )
}

/// The demo world over the emulator, Azure's durations divided by 6000, and the TUI started on
/// it with `service` selected: the emulator, the journal's directory and the TUI.
pub(super) async fn demo_with_selected(
    service: &str,
) -> (crate::emulator::EmulatorHandle, tempfile::TempDir, Live) {
    let mut config = crate::emulator::EmulatorConfig::new(
        crate::emulator::World::demo().expect("the demo world"),
    );
    config.speed = 6000.0;
    let h = crate::emulator::Emulator::start(config)
        .await
        .expect("the emulator starts");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut live = Live::start(&h, dir.path()).await;
    let rows = crate::app::estate::visible_services(&live.state);
    live.state.cursors.services = rows
        .iter()
        .position(|r| r.service.name == service)
        .expect("the service is listed");
    (h, dir, live)
}

/// Feeds every answer to `update` and runs what it asks, until `done` holds of the state.
pub(super) async fn run_until(live: &mut Live, done: impl Fn(&AppState) -> bool) {
    while !done(&live.state) {
        let action = tokio::time::timeout(std::time::Duration::from_secs(60), live.rx.recv())
            .await
            .expect("an answer within a minute")
            .expect("the runner is running");
        let effects = update(&mut live.state, action);
        live.runner.run(effects);
    }
}
