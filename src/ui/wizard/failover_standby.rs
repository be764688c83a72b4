//! Failover step 3 when no service of the chosen region can take the backup: the offer to
//! create a standby there (its plan: name, tier and units, region, publisher, identity; a
//! soft-deleted service holding the name with its purge date and the purge choice), the name
//! typed to create it, then the creation's progress until the wizard goes on.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Wrap};

use super::super::theme::Theme;
use super::super::widgets::{field, key_label, styled};
use crate::app::action::Action;
use crate::app::failover::{FailoverWizard, StandbyOffer};
use crate::app::keymap::KeyContext;
use crate::app::loadable::Loadable;
use crate::app::state::AppState;
use crate::domain::standby::StandbyOutline;

/// Draws the offer in step 3's content area.
pub fn render(
    frame: &mut Frame,
    content: Rect,
    state: &AppState,
    w: &FailoverWizard,
    offer: &StandbyOffer,
    theme: &Theme,
) {
    let region = w.region.as_deref().unwrap_or("this region");
    let mut lines = vec![Line::from(styled(
        format!("No service in {region} can take this backup: create a standby there."),
        theme.text,
    ))];
    match &offer.outline {
        Loadable::Loaded(outline) => {
            lines.extend(plan(offer, outline, theme));
            lines.push(Line::default());
            match offer.op {
                None => lines.extend(confirm(state, offer, outline, theme)),
                Some(op) => lines.extend(progress(state, op, theme)),
            }
        }
        Loadable::Failed(e) => lines.push(Line::from(styled(
            format!("✖ the standby could not be planned: {}", e.one_line()),
            theme.error,
        ))),
        Loadable::Loading { .. } | Loadable::NotRequested => lines.push(Line::from(styled(
            "reading the service to copy, the region and the name…",
            theme.muted,
        ))),
    }
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), content);
}

fn plan(offer: &StandbyOffer, o: &StandbyOutline, theme: &Theme) -> Vec<Line<'static>> {
    let like = offer.ask.like.name.to_string();
    let publisher = o.publisher.as_deref().unwrap_or("the source's");
    let mut lines = vec![
        field(
            "Name",
            vec![styled(o.target.name.to_string(), theme.accent)],
            theme,
        ),
        field(
            "Tier",
            vec![styled(
                format!("{} ×{} in {}, as {like}", o.sku, o.capacity, o.location),
                theme.text,
            )],
            theme,
        ),
        field(
            "Copied",
            vec![styled(
                format!("publisher {publisher} · system-assigned identity on"),
                theme.text,
            )],
            theme,
        ),
    ];
    if o.exists {
        lines.push(Line::from(styled(
            "⚠ it is being created already: it is followed, not sent again",
            theme.warn,
        )));
    }
    if let Some(h) = &o.held_by {
        lines.push(Line::from(styled(
            format!(
                "⚠ the name is held by a soft-deleted service in {} until Azure purges it on {}",
                h.location,
                h.purge_date.as_deref().unwrap_or("its scheduled date")
            ),
            theme.warn,
        )));
        let choice = if o.purge {
            "it is purged for good first (it cannot be undeleted afterwards)"
        } else {
            "kept: purge it, or type another name"
        };
        lines.push(Line::from(styled(format!("  {choice}"), theme.warn)));
    }
    lines
}

fn confirm(
    state: &AppState,
    offer: &StandbyOffer,
    o: &StandbyOutline,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let name = o.target.name.to_string();
    let enter = key_label(state, KeyContext::Standby, &Action::Submit);
    let tab = key_label(state, KeyContext::Standby, &Action::TogglePurge);
    let check = if offer.typed.is_empty() {
        styled("", theme.muted)
    } else if offer.typed == name {
        styled(format!("✔ matches: {enter} creates it"), theme.ok)
    } else if name.starts_with(&offer.typed) {
        styled("… keep typing", theme.muted)
    } else {
        styled(format!("{enter} plans this name instead"), theme.muted)
    };
    let mut lines = vec![Line::from(styled(
        format!("Type {name} to create it (billed from now on), or another name:"),
        theme.text,
    ))];
    lines.push(Line::from(vec![
        styled("> ", theme.muted),
        styled(offer.typed.clone(), theme.accent),
        styled("█  ", theme.muted),
        check,
    ]));
    if o.held_by.is_some() {
        lines.push(Line::from(vec![
            styled(tab, theme.key),
            styled(" purges the soft-deleted service, or keeps it", theme.hint),
        ]));
    }
    lines
}

fn progress(
    state: &AppState,
    op: crate::app::operation::OpId,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let Some(view) = state.operations.iter().find(|v| v.op == op) else {
        return Vec::new();
    };
    vec![
        field(
            "Status",
            vec![styled(
                view.status_sentence(state.unwatched_fate()),
                theme.text,
            )],
            theme,
        ),
        field(
            "Elapsed",
            vec![styled(
                crate::domain::duration::short(view.elapsed(state.now)),
                theme.text,
            )],
            theme,
        ),
        Line::from(styled(
            "Once Succeeded, the wizard goes on: pre-flight, review, the restore's confirmation.",
            theme.muted,
        )),
    ]
}
