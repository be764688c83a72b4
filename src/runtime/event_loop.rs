//! The event loop: `select!` over terminal events, the action channel, SIGTERM/SIGHUP and a
//! tick (each second while something on screen counts seconds, else at each whole minute). Every batch of actions goes through
//! `update`; the screen is drawn once per batch. However the loop ends — quit, a signal, a
//! terminal error — the terminal is restored and live watches are journaled as detached.

use crossterm::event::EventStream;
use futures::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use super::effects::{EffectRunner, Next};
use super::signals::{Ending, Signals};
use super::terminal::TerminalGuard;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::AppState;
use crate::app::update::update;
use crate::cache::InventoryCache;
use crate::engine::Engine;
use crate::ui::theme::Theme;

/// Runs the TUI until the user quits (`None`) or a signal ends it (`Some`). Operations still
/// running are journaled as detached and watched again at next start. The inventory is kept
/// in `cache` after each walk of the estate.
///
/// # Errors
/// When the terminal cannot be used.
pub async fn run(
    engine: Engine,
    cache: Option<InventoryCache>,
    state: AppState,
    initial: Vec<Effect>,
    theme: &Theme,
) -> std::io::Result<Option<Ending>> {
    let mut guard = TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::channel::<Action>(1024);
    let mut runner = EffectRunner::new(engine, cache, tx.clone());
    let result = drive(&mut guard, &mut runner, &mut rx, state, initial, theme).await;
    drop(guard);
    runner.shutdown().await;
    result
}

async fn drive(
    guard: &mut TerminalGuard,
    runner: &mut EffectRunner,
    rx: &mut mpsc::Receiver<Action>,
    mut state: AppState,
    initial: Vec<Effect>,
    theme: &Theme,
) -> std::io::Result<Option<Ending>> {
    let mut pending: Vec<Action> = runner.journal_actions().await;
    if let Ok(size) = guard.terminal.size() {
        pending.push(Action::Resized {
            width: size.width,
            height: size.height,
        });
    }
    if runner.run(initial) == Next::Exit {
        return Ok(None);
    }
    let mut events = EventStream::new();
    let mut signals = Signals::install();

    loop {
        for action in pending.drain(..) {
            let mut effects = update(&mut state, action);
            // The clipboard is the terminal's: written here, not by the effect runner.
            for effect in effects.extract_if(.., |e| matches!(e, Effect::Copy(_))) {
                if let Effect::Copy(text) = effect {
                    guard.copy(&text)?;
                }
            }
            if runner.run(effects) == Next::Exit {
                return Ok(None);
            }
        }
        let area = guard
            .terminal
            .draw(|f| crate::ui::render(f, &state, theme))?
            .area;
        let tick = tokio::time::sleep(state.next_tick_in(OffsetDateTime::now_utc()));
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => crate::ui::translate(&state, area, &ev),
                Some(Err(e)) => return Err(e),
                None => return Ok(Some(Ending::Hangup)),
            },
            a = rx.recv() => a.into_iter().collect(),
            () = tick => Vec::new(),
            ending = signals.next() => return Ok(Some(ending)),
        };
        pending.extend(first);
        // Drain what else is waiting, so a burst of progress is drawn once.
        while let Ok(a) = rx.try_recv() {
            pending.push(a);
        }
        // Every batch starts with the clock, so what it draws is never stale.
        pending.insert(
            0,
            Action::Tick {
                now: OffsetDateTime::now_utc(),
            },
        );
    }
}
