//! Test helpers for screen snapshots: draw a state into a `TestBackend` of a given size, and a
//! macro that snapshots it at 80×24 and 120×40 (and one for any size) (expanded at the call site, so each screen's
//! snapshots live in a `snapshots/` folder beside its own file).

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use super::theme::Theme;
use crate::app::state::AppState;

/// Draws `state` on a `width`×`height` test terminal.
pub fn draw(state: &AppState, theme: &Theme, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| super::render(frame, state, theme))
        .expect("draw");
    terminal
}

/// Finds the first cell where `needle` starts, as (x, y).
pub fn find(buf: &Buffer, needle: &str) -> Option<(u16, u16)> {
    (0..buf.area.height).find_map(|y| {
        let row: Vec<&str> = (0..buf.area.width).map(|x| buf[(x, y)].symbol()).collect();
        let text: String = row.concat();
        text.find(needle).map(|byte| {
            let col = text[..byte].chars().count();
            (u16::try_from(col).unwrap_or(0), y)
        })
    })
}

/// Snapshots a state at 80×24 and 120×40 with the colour theme.
macro_rules! snap {
    ($name:expr, $state:expr) => {{
        let theme = $crate::ui::theme::Theme::default_embedded();
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let terminal = $crate::ui::test_support::draw(&$state, &theme, w, h);
            insta::assert_snapshot!(format!("{}_{w}x{h}", $name), terminal.backend());
        }
    }};
}
pub(crate) use snap;

/// Snapshots a state at one size (`name_WxH`), for a screen whose look depends on the width.
macro_rules! snap_at {
    ($name:expr, $state:expr, $w:expr, $h:expr) => {{
        let theme = $crate::ui::theme::Theme::default_embedded();
        let terminal = $crate::ui::test_support::draw(&$state, &theme, $w, $h);
        insta::assert_snapshot!(format!("{}_{}x{}", $name, $w, $h), terminal.backend());
    }};
}
pub(crate) use snap_at;
