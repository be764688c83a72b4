//! Overlays: the help popup, an operation's report, the quit dialog, the `/` filter and the
//! `:` command line. While
//! one is open it takes every action that is not a fact.

use super::{cutover, drill, operations, prune, region_failover, regions};
use crate::app::action::Action;
use crate::app::colon::{self, ColonCommand};
use crate::app::effect::Effect;
use crate::app::state::{AppState, FlashLevel, ListId, Overlay};

/// Handles an action while an overlay is open.
pub(super) fn handle(state: &mut AppState, action: &Action) -> Vec<Effect> {
    let Some(overlay) = state.overlay.take() else {
        return Vec::new();
    };
    match overlay {
        Overlay::Help { scroll } => {
            state.overlay = match action {
                Action::Back | Action::Cancel | Action::OpenHelp => None,
                Action::MoveDown => Some(Overlay::Help {
                    scroll: scroll.saturating_add(1),
                }),
                Action::MoveUp => Some(Overlay::Help {
                    scroll: scroll.saturating_sub(1),
                }),
                Action::PageDown => Some(Overlay::Help {
                    scroll: scroll.saturating_add(10),
                }),
                Action::PageUp => Some(Overlay::Help {
                    scroll: scroll.saturating_sub(10),
                }),
                Action::Top => Some(Overlay::Help { scroll: 0 }),
                _ => Some(Overlay::Help { scroll }),
            };
            Vec::new()
        }
        Overlay::Prune(dialog) => prune::handle(state, *dialog, action),
        regions @ Overlay::Regions { .. } => regions::handle(state, regions, action),
        Overlay::Cutover(dialog) => cutover::handle(state, *dialog, action),
        Overlay::RegionFailover => region_failover::handle(state, action),
        Overlay::Drill => drill::handle(state, action),
        Overlay::Report { id, text, scroll } => {
            let scroll = match action {
                Action::Back | Action::Cancel | Action::ShowReportSelected => return Vec::new(),
                Action::MoveDown => scroll.saturating_add(1),
                Action::MoveUp => scroll.saturating_sub(1),
                Action::PageDown => scroll.saturating_add(10),
                Action::PageUp => scroll.saturating_sub(10),
                Action::Top => 0,
                _ => scroll,
            };
            state.overlay = Some(Overlay::Report { id, text, scroll });
            Vec::new()
        }
        Overlay::Quit { live, queued } => match action {
            Action::ConfirmQuit => vec![Effect::Exit],
            Action::Cancel | Action::Back => Vec::new(),
            _ => {
                state.overlay = Some(Overlay::Quit { live, queued });
                Vec::new()
            }
        },
        Overlay::Filter { list, before } => {
            let filter = state.filters.get_mut(list);
            match action {
                Action::TypeChar(c) => filter.push(*c),
                Action::Backspace => {
                    filter.pop();
                }
                Action::ClearInput => filter.clear(),
                Action::Submit => return Vec::new(),
                Action::Cancel => {
                    *filter = before;
                    *state.cursors.get_mut(list) = 0;
                    return Vec::new();
                }
                _ => {}
            }
            *state.cursors.get_mut(list) = 0;
            if list == ListId::Subscriptions && !state.all_subscriptions() {
                state.cursors.services = 0;
            }
            if list == ListId::Backups {
                // Narrows the rows kept for the filter before it, rather than all of them.
                crate::app::views::refresh(state);
                state.cursors.backups = crate::app::catalog::newest_restorable(state);
            }
            state.overlay = Some(Overlay::Filter { list, before });
            Vec::new()
        }
        Overlay::Command { mut text } => {
            match action {
                Action::TypeChar(c) => text.push(*c),
                Action::Backspace => {
                    text.pop();
                }
                Action::ClearInput => text.clear(),
                Action::Complete => {
                    if let Some(name) = colon::complete(&text) {
                        name.clone_into(&mut text);
                    }
                }
                Action::Submit => return run(state, &text),
                Action::Cancel => return Vec::new(),
                _ => {}
            }
            state.overlay = Some(Overlay::Command { text });
            Vec::new()
        }
    }
}

fn run(state: &mut AppState, text: &str) -> Vec<Effect> {
    if text.trim().is_empty() {
        return Vec::new();
    }
    match colon::parse(text) {
        Ok(ColonCommand::Go(screen, pane)) => {
            super::navigation::go(state, screen);
            if matches!(screen, crate::app::state::Screen::Estate) {
                state.focus = pane;
            }
            Vec::new()
        }
        Ok(ColonCommand::AllSubscriptions) => {
            super::navigation::toggle_all_subscriptions(state);
            Vec::new()
        }
        Ok(ColonCommand::Help) => {
            state.overlay = Some(Overlay::Help { scroll: 0 });
            Vec::new()
        }
        Ok(ColonCommand::Prune) => prune::start(state),
        Ok(ColonCommand::Quit) => operations::quit(state),
        Err(message) => {
            state.flash(FlashLevel::Error, message);
            Vec::new()
        }
    }
}
