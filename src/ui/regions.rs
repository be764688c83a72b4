//! A service's regions over the estate (`l`): each region, primary first, its gateway's URL,
//! whether it is switched off, and what its health endpoint answered; the main host last. The
//! selected region is marked; `d` asks for its name typed to switch its gateway.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Clear, Paragraph, Wrap};

use super::layout::centered;
use super::theme::Theme;
use super::widgets::{cursor_at, key_label, styled, typed_confirmation};
use crate::app::action::Action;
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::state::{AppState, GatewaySwitch};
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

/// What the regions dialog shows.
#[derive(Debug, Clone, Copy)]
pub struct Shown<'a> {
    /// The service.
    pub service: &'a ServiceId,
    /// Its regions once read.
    pub regions: &'a Loadable<Regions>,
    /// The region selected.
    pub cursor: usize,
    /// A gateway switch being typed or sent.
    pub switch: Option<&'a GatewaySwitch>,
}

fn lines(r: &Regions, cursor: usize, theme: &Theme) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    for (i, g) in r.regions.iter().enumerate() {
        let role = if g.primary { "primary" } else { "additional" };
        let mark = if i == cursor { "› " } else { "  " };
        let mut spans = vec![
            styled(mark, theme.key),
            styled(format!("{:<22}", g.location), theme.accent),
            styled(format!("{role:<11}"), theme.muted),
        ];
        if g.disabled {
            spans.push(styled("gateway switched off · ", theme.warn));
        }
        spans.push(health(&g.health, theme));
        out.push(Line::from(spans));
        if let Some(url) = &g.url {
            out.push(Line::from(styled(format!("    {url}"), theme.muted)));
        }
    }
    if let (Some(url), Some(h)) = (&r.main_url, &r.main_health) {
        out.push(Line::default());
        out.push(Line::from(vec![
            styled(format!("main host {url}  "), theme.text),
            health(h, theme),
        ]));
    }
    out
}

/// The dialog's last lines: the switch being typed or sent, or what `d` does.
fn switch_lines(
    state: &AppState,
    switch: Option<&GatewaySwitch>,
    theme: &Theme,
) -> (Vec<Line<'static>>, Option<(usize, usize)>) {
    match switch {
        Some(s) if s.sent => (
            vec![Line::from(styled(
                format!(
                    "switching the gateway of {} {}… (ARM's answer, then each region's health)",
                    s.region,
                    if s.disable { "off" } else { "on" }
                ),
                theme.warn,
            ))],
            None,
        ),
        Some(s) => {
            let to_do = if s.disable {
                "to switch its gateway off (its traffic goes to the other regions)"
            } else {
                "to switch its gateway back on"
            };
            let (lines, at) = typed_confirmation(
                state,
                KeyContext::Gateway,
                (&s.region, &s.typed),
                (to_do, "switches it", "does not match the region"),
                theme,
            );
            (lines, Some(at))
        }
        None => {
            let d = key_label(state, KeyContext::Regions, &Action::SwitchGateway);
            let text = if d.is_empty() {
                "Switching a region's gateway for a drill: apim-dr regions --service NAME \
                 --disable-gateway REGION --yes (--enable-gateway to undo)"
                    .to_owned()
            } else {
                format!(
                    "{d} switches the selected region's gateway off (or back on) for a drill, \
                     once its name is typed; apim-dr regions --disable-gateway does the same"
                )
            };
            (vec![Line::from(styled(text, theme.muted))], None)
        }
    }
}

/// Draws the regions of `service` over `body`.
pub fn render(frame: &mut Frame, body: Rect, state: &AppState, shown: &Shown<'_>, theme: &Theme) {
    let Shown {
        service,
        regions,
        cursor,
        switch,
    } = *shown;
    let area = centered(body, body.width.saturating_sub(4).min(100), 18);
    let block = Block::bordered()
        .border_type(BorderType::Rounded)
        .border_style(theme.border_focused)
        .title(Span::styled(
            format!(" Regions of {} · esc closes ", service.name),
            theme.pane_title_focused,
        ))
        .padding(ratatui::widgets::Padding::new(1, 1, 1, 0));
    let mut body_lines = match regions {
        Loadable::Loaded(r) => lines(r, cursor, theme),
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
    let mut cursor_pos = None;
    if matches!(regions, Loadable::Loaded(_)) {
        let (more, at) = switch_lines(state, switch, theme);
        body_lines.push(Line::default());
        cursor_pos = at.map(|(line, col)| (body_lines.len() + line, col));
        body_lines.extend(more);
    }
    let inner = block.inner(area);
    frame.render_widget(Clear, area);
    frame.render_widget(
        Paragraph::new(body_lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
    if let Some(at) = cursor_pos {
        cursor_at(frame, inner, at);
    }
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
    fn the_region_to_switch_typed() {
        snap!("regions_switching", scenes::regions_switching());
    }

    #[test]
    fn a_gateway_is_switched_only_on_the_region_typed_exactly() {
        use crate::app::effect::Effect;
        use crate::app::keymap::KeyContext;
        use crate::app::state::Overlay;

        let mut s = scenes::regions_switching();
        assert_eq!(s.key_context(), KeyContext::Gateway);
        assert!(s.key_context().refuses_paste());
        assert!(run(&mut s, [Action::PasteRefused]).is_empty());
        assert!(
            run(&mut s, [Action::Submit]).is_empty(),
            "half a name sends nothing"
        );
        let flash = &s.flash.as_ref().unwrap().text;
        assert!(flash.contains("type North Europe exactly"), "{flash}");
        let effects = run(
            &mut s,
            "rope".chars().map(Action::TypeChar).chain([Action::Submit]),
        );
        let [
            Effect::SwitchGateway {
                service,
                region,
                disabled,
            },
        ] = effects.as_slice()
        else {
            panic!("one switch: {effects:?}")
        };
        assert_eq!((region.as_str(), *disabled), ("North Europe", false));
        assert_eq!(
            s.key_context(),
            KeyContext::Regions,
            "sent: nothing more to type"
        );

        let mut after = scenes::regions_shown();
        let Some(Overlay::Regions {
            regions: crate::app::loadable::Loadable::Loaded(r),
            ..
        }) = after.overlay.take()
        else {
            panic!("the regions are shown")
        };
        let mut r = r;
        r.regions[1].disabled = false;
        run(
            &mut s,
            [Action::GatewaySwitched {
                service: service.clone(),
                region: region.clone(),
                disabled: false,
                result: Ok(r),
            }],
        );
        let Some(Overlay::Regions {
            regions: crate::app::loadable::Loadable::Loaded(shown),
            switch: None,
            ..
        }) = &s.overlay
        else {
            panic!("the dialog shows the regions read again: {:?}", s.overlay)
        };
        assert!(!shown.regions[1].disabled);
        let flash = &s.flash.as_ref().unwrap().text;
        assert!(flash.contains("North Europe is switched on"), "{flash}");
    }

    #[test]
    fn read_only_switches_no_gateway() {
        let mut s = scenes::regions_shown();
        s.read_only = true;
        assert!(run(&mut s, [Action::SwitchGateway]).is_empty());
        let flash = &s.flash.as_ref().unwrap().text;
        assert!(flash.contains("read-only"), "{flash}");
        assert!(matches!(
            s.overlay,
            Some(crate::app::state::Overlay::Regions { switch: None, .. })
        ));
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
