//! Pure rendering: `render(frame, &AppState, &Theme)` draws the whole screen from the state and
//! nothing else. No I/O, no clock (time is `state.now`), no ids; scroll positions are computed
//! from the selected index on every frame, so the same state always draws the same screen.
//!
//! Layout: header (name, context, live operations, clock) · breadcrumbs · body (a screen or a
//! wizard) · flash line or prompt · key hints generated from the keymap; dialogs on top.

mod backups;
mod chrome;
mod cutover;
mod details;
mod dialogs;
mod drill;
mod estate;
pub mod events;
pub mod grid;
mod help;
pub mod layout;
pub mod mouse;
mod operations;
mod prune;
mod region_failover;
mod regions;
mod report;
mod rpo;
pub mod text;
pub mod theme;
mod widgets;
mod wizard;

#[cfg(test)]
mod scenes;
#[cfg(test)]
mod test_support;

use ratatui::Frame;

use crate::app::state::{AppState, Overlay, Screen, Wizard};

pub use events::translate;
pub use theme::Theme;

/// Draws the whole screen.
pub fn render(frame: &mut Frame, state: &AppState, theme: &Theme) {
    let areas = layout::chrome(frame.area(), chrome::status_rows(state, frame.area().width));
    chrome::header(frame, areas.header, state, theme);
    chrome::crumbs(frame, areas.crumbs, state, theme);
    match &state.wizard {
        Some(Wizard::Failover(w)) => wizard::failover(frame, areas.body, state, w, theme),
        Some(Wizard::Backup(w)) => wizard::backup(frame, areas.body, state, w, theme),
        None => match state.screen {
            Screen::Estate => estate::render(frame, areas.body, state, theme),
            Screen::Backups => backups::render(frame, areas.body, state, theme),
            Screen::Operations => operations::render(frame, areas.body, state, theme),
            Screen::Rpo => rpo::render(frame, areas.body, state, theme),
        },
    }
    chrome::status_line(frame, areas.status, state, theme);
    chrome::footer(frame, areas.footer, state, theme);
    match &state.overlay {
        Some(Overlay::Help { scroll }) => help::render(frame, areas.body, state, *scroll, theme),
        Some(Overlay::Quit { live, queued }) => {
            dialogs::quit(frame, areas.body, state, (*live, *queued), theme);
        }
        Some(Overlay::Prune(d)) => prune::render(frame, areas.body, state, d, theme),
        Some(Overlay::Cutover(d)) => cutover::render(frame, areas.body, state, d, theme),
        Some(Overlay::RegionFailover) => region_failover::render(frame, areas.body, state, theme),
        Some(Overlay::Drill) => drill::render(frame, areas.body, state, theme),
        Some(Overlay::Regions {
            service,
            regions,
            cursor,
            switch,
        }) => {
            let dialog = regions::Shown {
                service,
                regions,
                cursor: *cursor,
                switch: switch.as_ref(),
            };
            regions::render(frame, areas.body, state, &dialog, theme);
        }
        Some(Overlay::Report { id, text, scroll }) => {
            report::render(frame, areas.body, state, (id, text, *scroll), theme);
        }
        _ => {}
    }
}
