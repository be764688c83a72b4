//! What the operator may type where an id is expected: a service as its full ARM id or as a
//! bare name that is unique across the visible subscriptions, a subscription as its GUID or
//! its display name. A malformed value is refused before any call is sent; a name that matches
//! nothing gets the nearest names ("did you mean"), one that matches several gets their ids.

use futures::future::join_all;

use super::exit::CliError;
use crate::azure::AzureClient;
use crate::domain::error::UserError;
use crate::domain::names::{ServiceId, ServiceName, SubscriptionId};
use crate::domain::suggest::did_you_mean;
use crate::engine::inventory;

/// How the value of `flag` names a service: a full id (checked locally) or a bare name.
///
/// # Errors
/// [`CliError`] (exit 2) when it is neither.
pub fn service_shape(flag: &str, text: &str) -> Result<Option<ServiceId>, CliError> {
    if text.starts_with('/') {
        return Ok(Some(ServiceId::parse(text)?));
    }
    ServiceName::parse(text).map_err(|e| {
        CliError::usage(UserError::from(e).with_hint(format!(
            "{flag} takes a service's full ARM id (/subscriptions/…/service/NAME) or its name"
        )))
    })?;
    Ok(None)
}

/// The service `text` names (see [`service_shape`]): a bare name is looked up in every
/// visible subscription.
///
/// # Errors
/// [`CliError`]: exit 2 for a malformed, unknown or ambiguous name; exit 1 when the services
/// cannot be listed.
pub async fn service(client: &AzureClient, flag: &str, text: &str) -> Result<ServiceId, CliError> {
    if let Some(id) = service_shape(flag, text)? {
        return Ok(id);
    }
    let subs = inventory::subscriptions(client)
        .await
        .map_err(|e| CliError::api("listing subscriptions to find the service", &e))?;
    let lists = join_all(
        subs.iter()
            .map(|s| inventory::services(client, s.id.as_str())),
    )
    .await;
    let mut all = Vec::new();
    for list in lists {
        all.extend(list.map_err(|e| CliError::api("listing services to find the service", &e))?);
    }
    let hits: Vec<_> = all
        .iter()
        .filter(|s| s.name.eq_ignore_ascii_case(text))
        .collect();
    match hits.as_slice() {
        [one] => Ok(ServiceId::parse(&one.id())?),
        [] => Err(unknown(
            format!(
                "no API Management service named '{text}' in the {} subscription(s) you can see",
                subs.len()
            ),
            &did_you_mean(text, all.iter().map(|s| s.name.as_str())),
            "apim-dr services",
        )),
        several => {
            let ids: Vec<_> = several.iter().map(|s| s.id()).collect();
            Err(ambiguous(
                "services",
                text,
                ids.iter().map(AsRef::as_ref),
                &format!("give {flag} the full id of the one you mean"),
            ))
        }
    }
}

/// The subscription `text` names: a GUID as it is, else the one whose display name it is.
///
/// # Errors
/// [`CliError`]: exit 2 for an unknown or ambiguous name; exit 1 when the subscriptions
/// cannot be listed.
pub async fn subscription(client: &AzureClient, text: &str) -> Result<SubscriptionId, CliError> {
    if let Ok(id) = SubscriptionId::parse(text) {
        return Ok(id);
    }
    if text.trim().is_empty() || text.chars().any(char::is_control) {
        return Err(CliError::usage(UserError::new(format!(
            "invalid subscription {text:?}: give its id (a GUID) or its display name, without control characters"
        ))));
    }
    let subs = inventory::subscriptions(client)
        .await
        .map_err(|e| CliError::api("listing subscriptions to find the one named", &e))?;
    let hits: Vec<_> = subs
        .iter()
        .filter(|s| s.name.eq_ignore_ascii_case(text))
        .collect();
    match hits.as_slice() {
        [one] => Ok(SubscriptionId::parse(&one.id)?),
        [] => Err(unknown(
            format!(
                "'{text}' is neither a subscription id (GUID) nor the name of a subscription you can see"
            ),
            &did_you_mean(text, subs.iter().map(|s| s.name.as_str())),
            "apim-dr subscriptions",
        )),
        several => Err(ambiguous(
            "subscriptions",
            text,
            several.iter().map(|s| s.id.as_str()),
            "give --subscription the id of the one you mean",
        )),
    }
}

/// An optional `--subscription` filter, resolved as [`subscription`] does.
///
/// # Errors
/// As [`subscription`].
pub async fn optional_subscription(
    client: &AzureClient,
    subscription: Option<&str>,
) -> Result<Option<SubscriptionId>, CliError> {
    match subscription {
        Some(s) => Ok(Some(self::subscription(client, s).await?)),
        None => Ok(None),
    }
}

/// A name that matches nothing: the nearest names, else the command that lists them all.
fn unknown(message: String, near: &[&str], lister: &str) -> CliError {
    let e = UserError::new(message);
    CliError::usage(if near.is_empty() {
        e.with_hint(format!("`{lister}` lists them"))
    } else {
        e.with_hint(format!("did you mean {}?", near.join(", ")))
    })
}

/// A name that matches several: their ids, to choose from.
fn ambiguous<'a>(
    what: &str,
    text: &str,
    ids: impl ExactSizeIterator<Item = &'a str>,
    hint: &str,
) -> CliError {
    let count = ids.len();
    let ids: Vec<&str> = ids.collect();
    CliError::usage(
        UserError::new(format!(
            "{count} {what} are named '{text}': {}",
            ids.join(", ")
        ))
        .with_hint(hint),
    )
}
