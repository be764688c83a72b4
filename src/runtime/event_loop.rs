//! The event loop: `select!` over terminal events, the action channel and a 1 s tick (only
//! while something is live). Every batch of actions goes through `update`; the screen is
//! drawn once per batch.

use std::time::Duration;

use crossterm::event::EventStream;
use futures::StreamExt;
use time::OffsetDateTime;
use tokio::sync::mpsc;

use super::effects::{EffectRunner, Next};
use super::terminal::TerminalGuard;
use crate::app::action::Action;
use crate::app::effect::Effect;
use crate::app::state::AppState;
use crate::app::update::update;
use crate::engine::Engine;
use crate::ui::theme::Theme;

/// Runs the TUI until the user quits. Operations still running are journaled as detached and
/// watched again at next start.
///
/// # Errors
/// When the terminal cannot be used.
pub async fn run(
    engine: Engine,
    mut state: AppState,
    initial: Vec<Effect>,
    theme: &Theme,
) -> std::io::Result<()> {
    let mut guard = TerminalGuard::enter()?;
    let (tx, mut rx) = mpsc::channel::<Action>(1024);
    let mut runner = EffectRunner::new(engine, tx.clone());
    let mut pending: Vec<Action> = runner.journal_actions().await;
    if let Ok(size) = guard.terminal.size() {
        pending.push(Action::Resized {
            width: size.width,
            height: size.height,
        });
    }
    let mut exit = runner.run(initial) == Next::Exit;
    let mut events = EventStream::new();
    let mut tick = tokio::time::interval(Duration::from_secs(1));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut term = terminate_signal();
    let mut area;

    while !exit {
        for action in pending.drain(..) {
            if runner.run(update(&mut state, action)) == Next::Exit {
                exit = true;
            }
        }
        if exit {
            break;
        }
        area = guard
            .terminal
            .draw(|f| crate::ui::render(f, &state, theme))?
            .area;
        let wants_tick = state.wants_tick();
        let first = tokio::select! {
            ev = events.next() => match ev {
                Some(Ok(ev)) => crate::ui::translate(&state, area, &ev),
                Some(Err(e)) => return Err(e),
                None => vec![Action::ConfirmQuit],
            },
            a = rx.recv() => a.into_iter().collect(),
            _ = tick.tick(), if wants_tick => vec![Action::Tick { now: OffsetDateTime::now_utc() }],
            () = term.as_mut() => vec![Action::ConfirmQuit],
        };
        pending.extend(first);
        // Drain what else is waiting, so a burst of progress is drawn once.
        while let Ok(a) = rx.try_recv() {
            pending.push(a);
        }
        if !wants_tick && pending.iter().any(|a| !matches!(a, Action::Tick { .. })) {
            // Keep the clock right when ticks were paused.
            pending.insert(
                0,
                Action::Tick {
                    now: OffsetDateTime::now_utc(),
                },
            );
        }
    }
    drop(guard);
    runner.shutdown().await;
    Ok(())
}

/// Resolves on SIGTERM (a closing terminal or a `kill`): quit cleanly, journaling detaches.
fn terminate_signal() -> std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut s) = signal(SignalKind::terminate()) {
            return Box::pin(async move {
                s.recv().await;
            });
        }
    }
    Box::pin(std::future::pending())
}
