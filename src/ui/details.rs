//! The details views (Enter): a service in full (tier, units, regions, identity, tags, newest
//! backup, last restore into it from the journal) and a backup in full (every catalog field,
//! and which loaded services can take it, and why not the others). Drawn on the whole body;
//! Esc returns to the list.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::text::{age, full_date};
use super::theme::Theme;
use super::widgets::{field, field_wrapped, pane, styled};
use crate::app::action::Action;
use crate::app::catalog::{expiry_refusal, human_size, provenance};
use crate::app::details::{last_restore, takers};
use crate::app::estate::{backup_refusal, newest_backup, region_name};
use crate::app::keymap::KeyContext;
use crate::app::state::AppState;
use crate::domain::backup::BackupEntry;
use crate::domain::service::ServiceSummary;

fn opt(value: Option<impl Into<String>>, theme: &Theme) -> Vec<Span<'static>> {
    vec![value.map_or_else(
        || styled("—", theme.muted),
        |v| styled(v.into(), theme.text),
    )]
}

fn draw(frame: &mut Frame, area: Rect, title: String, lines: Vec<Line<'static>>, theme: &Theme) {
    let block = pane(vec![Span::raw(title)], true, theme);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "enter lists its backups · esc back to the list", from the keys in force.
fn keys(
    state: &AppState,
    ctx: KeyContext,
    also: Option<(Action, &str)>,
    theme: &Theme,
) -> Line<'static> {
    let mut parts = Vec::new();
    if let Some((action, what)) = also
        && let Some(k) = state.keymap.key_for(ctx, &action)
    {
        parts.push(format!("{k} {what}"));
    }
    if let Some(k) = state.keymap.key_for(ctx, &Action::Back) {
        parts.push(format!("{k} back to the list"));
    }
    Line::styled(parts.join(" · "), theme.muted)
}

/// Draws a service in full.
pub fn service(frame: &mut Frame, area: Rect, state: &AppState, s: &ServiceSummary, theme: &Theme) {
    let w = usize::from(area.width.saturating_sub(2));
    let mut lines = vec![keys(
        state,
        KeyContext::Services,
        Some((Action::Open, "lists its backups")),
        theme,
    )];
    lines.extend(field_wrapped("Id", &s.id(), theme.text, w, theme));
    let place = format!(
        "{} / {}",
        state.subscription_name(&s.subscription_id),
        s.resource_group
    );
    lines.extend([
        field("Where", vec![styled(place, theme.text)], theme),
        field(
            "Tier",
            vec![styled(
                format!("{} × {} unit(s)", s.sku, s.capacity),
                theme.text,
            )],
            theme,
        ),
    ]);
    let mut regions = vec![s.location.to_string()];
    let others = s.additional_locations().iter();
    regions.extend(others.map(|l| region_name(state, l)));
    lines.push(field(
        "Regions",
        vec![styled(regions.join(", "), theme.text)],
        theme,
    ));
    lines.push(field(
        "State",
        vec![styled(s.state_word().to_owned(), theme.text)],
        theme,
    ));
    lines.push(field("Gateway", opt(s.gateway_url(), theme), theme));
    lines.push(field("Identity", opt(s.identity(), theme), theme));
    let tags: Vec<String> = s.tags().iter().map(|(k, v)| format!("{k}={v}")).collect();
    lines.push(field(
        "Tags",
        opt((!tags.is_empty()).then(|| tags.join(", ")), theme),
        theme,
    ));
    if !s.custom_hostnames().is_empty() {
        lines.push(field(
            "Host names",
            vec![styled(s.custom_hostnames().join(", "), theme.text)],
            theme,
        ));
    }
    lines.push(Line::default());
    if let Some(why) = backup_refusal(s) {
        lines.extend(field_wrapped(
            "Backups",
            &format!("⊘ {why}"),
            theme.warn,
            w,
            theme,
        ));
    } else {
        let newest = newest_backup(state, s).map(|b| {
            format!(
                "{} ({} old, {})",
                b.display_ref(),
                age(b.created, state.now),
                b.freshness(state.now).phrase()
            )
        });
        lines.extend(field_wrapped(
            "Last backup",
            &newest.unwrap_or_else(|| "none in the loaded storage accounts".into()),
            theme.text,
            w,
            theme,
        ));
    }
    let restored = last_restore(state, s).map(|(op, at)| {
        let how = op.outcome().map(ToString::to_string).unwrap_or_default();
        format!("{} at {} ({how})", op.source, full_date(at))
    });
    lines.extend(field_wrapped(
        "Restored",
        &restored.unwrap_or_else(|| "never, as far as this journal knows".into()),
        theme.text,
        w,
        theme,
    ));
    draw(frame, area, format!("Service · {}", s.name), lines, theme);
}

/// Draws a backup in full.
pub fn backup(frame: &mut Frame, area: Rect, state: &AppState, b: &BackupEntry, theme: &Theme) {
    let w = usize::from(area.width.saturating_sub(2));
    let c = &b.catalog;
    let count = |n: Option<u32>| n.map(|n| n.to_string());
    let restore = expiry_refusal(b, state.now)
        .is_none()
        .then_some((Action::StartFailover, "restores it"));
    let mut lines = vec![keys(state, KeyContext::Backups, restore, theme)];
    lines.extend(field_wrapped(
        "Blob",
        &b.display_ref(),
        theme.text,
        w,
        theme,
    ));
    lines.push(field(
        "Catalog",
        vec![styled(provenance(b), theme.text)],
        theme,
    ));
    lines.push(Line::styled("Can it be restored into…", theme.table_header));
    for (svc, why) in takers(state, b) {
        let (mark, style, tail) = match why {
            None => ("✔", theme.ok, String::new()),
            Some(why) => ("✖", theme.muted, format!(" — {why}")),
        };
        lines.push(Line::from(vec![
            styled(
                format!("{mark} {} ({}, {})", svc.name, svc.sku, svc.location),
                style,
            ),
            styled(tail, theme.muted),
        ]));
    }
    lines.push(Line::default());
    let source = c.source_service.clone().or_else(|| c.source_name.clone());
    lines.extend(field_wrapped(
        "Source",
        source.as_deref().unwrap_or("—"),
        theme.text,
        w,
        theme,
    ));
    let tier = c.source_sku.as_ref().map(|t| match c.source_capacity {
        Some(n) => format!("{t} × {n} unit(s)"),
        None => t.to_string(),
    });
    lines.push(field("Tier", opt(tier, theme), theme));
    lines.push(field(
        "Region",
        opt(c.source_location.as_deref(), theme),
        theme,
    ));
    lines.push(field(
        "Created",
        opt(b.created.map(full_date), theme),
        theme,
    ));
    lines.push(field(
        "Started",
        opt(c.started.map(full_date), theme),
        theme,
    ));
    lines.push(field("Ended", opt(c.ended.map(full_date), theme), theme));
    let expiry = expiry_refusal(b, state.now).unwrap_or_else(|| b.freshness(state.now).phrase());
    lines.push(field("Expiry", vec![styled(expiry, theme.text)], theme));
    lines.push(field(
        "Size",
        vec![styled(human_size(b.size_bytes), theme.text)],
        theme,
    ));
    let counts = format!(
        "{} API(s), {} product(s), {} named value(s)",
        count(c.counts.apis).unwrap_or_else(|| "?".into()),
        count(c.counts.products).unwrap_or_else(|| "?".into()),
        count(c.counts.named_values).unwrap_or_else(|| "?".into()),
    );
    lines.push(field("Contents", vec![styled(counts, theme.text)], theme));
    lines.push(field(
        "API version",
        opt(c.api_version.as_deref(), theme),
        theme,
    ));
    lines.push(field("Tool", opt(c.tool_version.as_deref(), theme), theme));
    draw(frame, area, format!("Backup · {}", b.name), lines, theme);
}

#[cfg(test)]
mod tests {
    use super::super::scenes;
    use super::super::test_support::{draw, find, snap};
    use super::super::theme::Theme;

    #[test]
    fn details_of_a_service_and_a_backup() {
        snap!("service_details", scenes::service_details());
        snap!(
            "service_details_restored",
            scenes::service_details_restored()
        );
        snap!("backup_details", scenes::backup_details());
    }

    #[test]
    fn a_restored_service_says_from_what_and_when() {
        let state = scenes::service_details_restored();
        let terminal = draw(&state, &Theme::default_embedded(), 120, 40);
        let buf = terminal.backend().buffer();
        assert!(find(buf, "Restored").is_some(), "{buf:?}");
        assert!(
            find(buf, "apim-contoso-weu/20261126T0600Z.apimbackup at").is_some(),
            "{buf:?}"
        );
    }
}
