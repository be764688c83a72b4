//! `Microsoft.Insights` on the ARM port: Activity Logs - List
//! (`GET /subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values`,
//! api-version 2015-04-01), newest first, paged with `nextLink`.
//!
//! `$filter` is required and takes only the documented forms: `eventTimestamp ge '…'`,
//! optionally `and eventTimestamp le '…'`, and at most one of `resourceGroupName eq '…'`,
//! `resourceUri eq '…'`, `resourceProvider eq '…'` or `correlationId eq '…'`, joined with
//! `and`. `$select` keeps only the named properties. The refusals' wording is a guess
//! (`[infer]` in `docs/FIDELITY.md`).

use axum::http::StatusCode;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::filter::and_terms;
use super::paging::page;
use crate::emulator::activity::ActivityEvent;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;

/// The one narrowing a filter may add to its time range.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Narrowing {
    None,
    ResourceGroup(String),
    ResourceUri(String),
    ResourceProvider(String),
    Correlation(String),
}

/// A parsed `$filter`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filter {
    from: OffsetDateTime,
    to: Option<OffsetDateTime>,
    narrowing: Narrowing,
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches('\'')
}

fn parse_filter(text: &str) -> Result<Filter, String> {
    let mut from = None;
    let mut to = None;
    let mut narrowing = Narrowing::None;
    for term in and_terms(text) {
        let mut words = term.splitn(3, ' ');
        let (Some(field), Some(op), Some(value)) = (words.next(), words.next(), words.next())
        else {
            return Err(format!("The term '{term}' of $filter is not supported."));
        };
        let value = unquote(value);
        let time = || {
            OffsetDateTime::parse(value, &Rfc3339).map_err(|_bad| {
                format!("The value '{value}' of eventTimestamp is not a valid time.")
            })
        };
        let set = |n: &mut Narrowing, to: Narrowing| {
            if *n == Narrowing::None {
                *n = to;
                Ok(())
            } else {
                Err("Only one of resourceGroupName, resourceUri, resourceProvider or correlationId may be given in $filter.".to_owned())
            }
        };
        match (
            field.to_ascii_lowercase().as_str(),
            op.to_ascii_lowercase().as_str(),
        ) {
            ("eventtimestamp", "ge") => from = Some(time()?),
            ("eventtimestamp", "le") => to = Some(time()?),
            ("resourcegroupname", "eq") => {
                set(&mut narrowing, Narrowing::ResourceGroup(value.to_owned()))?;
            }
            ("resourceuri", "eq") => set(&mut narrowing, Narrowing::ResourceUri(value.to_owned()))?,
            ("resourceprovider", "eq") => {
                set(
                    &mut narrowing,
                    Narrowing::ResourceProvider(value.to_owned()),
                )?;
            }
            ("correlationid", "eq") => {
                set(&mut narrowing, Narrowing::Correlation(value.to_owned()))?;
            }
            ("eventchannels", "eq") => {}
            _ => return Err(format!("The term '{term}' of $filter is not supported.")),
        }
    }
    let from = from.ok_or_else(|| {
        "The $filter must give the start of the time range: eventTimestamp ge '{time}'.".to_owned()
    })?;
    Ok(Filter {
        from,
        to,
        narrowing,
    })
}

fn keeps(f: &Filter, sub: &str, e: &ActivityEvent) -> bool {
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let in_time = e.at >= f.from && f.to.is_none_or(|to| e.at <= to);
    let narrowed = match &f.narrowing {
        Narrowing::None => true,
        Narrowing::ResourceGroup(rg) => eq(rg, &e.resource_group),
        Narrowing::ResourceUri(uri) => eq(uri.trim_end_matches('/'), &e.resource_id),
        Narrowing::ResourceProvider(p) => eq(p, "Microsoft.ApiManagement"),
        Narrowing::Correlation(c) => eq(c, &e.correlation_id),
    };
    eq(sub, &e.subscription) && in_time && narrowed
}

/// Keeps only the `$select`ed properties of a record.
fn select(v: Value, fields: Option<&[String]>) -> Value {
    let (Some(fields), Value::Object(map)) = (fields, &v) else {
        return v;
    };
    Value::Object(
        map.iter()
            .filter(|(k, _)| fields.iter().any(|f| f.eq_ignore_ascii_case(k)))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// `GET /subscriptions/{sub}/providers/Microsoft.Insights/eventtypes/management/values`.
pub(crate) fn list(shared: &Shared, req: &Incoming, sub: &str, version: &str) -> Answer {
    let text = req.query("$filter").unwrap_or_default();
    if text.trim().is_empty() {
        return Answer::arm_error(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "The $filter query parameter is required: it must give at least the start of the time range (eventTimestamp ge '{time}').",
        );
    }
    let filter = match parse_filter(&text) {
        Ok(f) => f,
        Err(message) => return Answer::arm_error(StatusCode::BAD_REQUEST, "BadRequest", message),
    };
    let fields: Option<Vec<String>> = req
        .query("$select")
        .filter(|s| !s.trim().is_empty())
        .map(|s| s.split(',').map(|f| f.trim().to_owned()).collect());
    let items = shared.read(|live| {
        live.activity
            .iter()
            .rev()
            .filter(|e| keeps(&filter, sub, e))
            .map(|e| select(e.to_json(), fields.as_deref()))
            .collect()
    });
    page(shared, req, version, items)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_forms_parse() {
        let f = parse_filter(
            "eventTimestamp ge '2026-12-01T00:00:00Z' and eventTimestamp le '2026-12-02T00:00:00Z' and correlationId eq 'abc'",
        )
        .unwrap();
        assert_eq!(f.narrowing, Narrowing::Correlation("abc".into()));
        assert!(f.to.is_some());
        let f = parse_filter("eventTimestamp ge '2026-12-01T00:00:00Z' and resourceUri eq '/x'")
            .unwrap();
        assert_eq!(f.narrowing, Narrowing::ResourceUri("/x".into()));
    }

    #[test]
    fn other_forms_are_refused_with_a_reason() {
        assert!(
            parse_filter("correlationId eq 'abc'")
                .unwrap_err()
                .contains("eventTimestamp ge")
        );
        assert!(
            parse_filter("eventTimestamp ge 'yesterday'")
                .unwrap_err()
                .contains("not a valid time")
        );
        assert!(
            parse_filter(
                "eventTimestamp ge '2026-12-01T00:00:00Z' and correlationId eq 'a' and resourceGroupName eq 'b'"
            )
            .unwrap_err()
            .contains("Only one")
        );
        assert!(
            parse_filter("eventTimestamp ge '2026-12-01T00:00:00Z' or status eq 'Failed'").is_err()
        );
    }
}
