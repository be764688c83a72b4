//! A service's regions over the estate (`l`): each region, primary first, its gateway's URL,
//! whether it is switched off, and what its health endpoint answered; the main host last.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::layout::centered;
use super::theme::Theme;
use super::widgets::styled;
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::domain::duration;
use crate::domain::names::ServiceId;
use crate::engine::regions::{Health, Regions};

fn health(h: &Health, theme: &Theme) -> Span<'static> {
    match h {
        Ok(200) => styled("✔ serves (200)", theme.ok),
        Ok(code) => styled(format!("✖ answers {code}"), theme.error),
        Err(why) => styled(format!("✖ no answer: {why}"), theme.error),
    }
}

fn lines(r: &Regions, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for g in &r.regions {
        let role = if g.primary { "primary" } else { "additional" };
        let mut spans = vec![
            styled(format!("{:<22}", g.location), theme.accent),
            styled(format!("{role:<11}"), theme.muted),
        ];
        if g.disabled {
            spans.push(styled("gateway switched off · ", theme.warn));
        }
        spans.push(health(&g.health, theme));
        out.push(Line::from(spans));
        if let Some(url) = &g.url {
            out.push(Line::from(styled(format!("  {url}"), theme.muted)));
        }
    }
    if let (Some(url), Some(h)) = (&r.main_url, &r.main_health) {
        out.push(Line::default());
        out.push(Line::from(vec![
            styled(format!("main host {url}  "), theme.text),
            health(h, theme),
        ]));
    }
    out.push(Line::default());
    out.push(Line::from(styled(
        "Switching a region's gateway off and on for a drill: apim-dr regions --service NAME \
         --disable-gateway REGION --yes (--enable-gateway to undo)",
        theme.muted,
    )));
    out
}

/// Draws the regions of `service` over `body`.
pub fn render(
    frame: &mut Frame,
    body: Rect,
    state: &AppState,
    (service, regions): (&ServiceId, &Loadable<Regions>),
    theme: &Theme,
) {
    let area = centered(body, body.width.saturating_sub(4).min(100), 18);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(
            format!(" Regions of {} · esc closes ", service.name),
            theme.pane_title_focused,
        ))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let body_lines = match regions {
        Loadable::Loaded(r) => lines(r, theme),
        Loadable::Loading { since } => vec![Line::from(styled(
            format!(
                "reading the service and asking each gateway's health endpoint… {}",
                duration::short(state.now - *since)
            ),
            theme.muted,
        ))],
        Loadable::Failed(e) => vec![Line::from(styled(e.to_string(), theme.error))],
        Loadable::NotRequested => Vec::new(),
    };
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(body_lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::snap;
    use crate::app::action::Action;
    use crate::app::fixtures::{self, run};

    #[test]
    fn each_region_with_its_gateways_health() {
        snap!("regions_shown", scenes::regions_shown());
    }

    #[test]
    fn a_single_region_service_says_so() {
        let mut s = fixtures::loaded(false);
        assert!(run(&mut s, [Action::ShowRegions]).is_empty());
        assert!(s.overlay.is_none());
        let flash = &s.flash.as_ref().unwrap().text;
        assert!(flash.contains("serves from one region"), "{flash}");
    }
}
