//! `Microsoft.Resources`: subscriptions, their locations and resource groups, shaped like
//! `GetSubscriptions.json` and `GetLocations.json` (wrapped in `value`, as the real service
//! answers, not the bare array of the published example).

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::paging::page;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::Answer;
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::{Region, World, WorldSubscription};

fn subscription_json(world: &World, s: &WorldSubscription) -> Value {
    json!({
        "id": format!("/subscriptions/{}", s.id),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": s.id,
        "tenantId": world.tenant_id,
        "displayName": s.display_name,
        "state": s.state,
        "tags": {},
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off"
        }
    })
}

/// `GET /subscriptions` (paged).
pub(crate) fn list_subscriptions(shared: &Shared, req: &Incoming, version: &str) -> Answer {
    let items = shared.read(|live| {
        live.world
            .subscriptions
            .iter()
            .map(|s| subscription_json(&live.world, s))
            .collect()
    });
    page(shared, req, version, items)
}

/// `GET /subscriptions/{id}` (existence was checked before).
pub(crate) fn get_subscription(shared: &Shared, sub: &str) -> Answer {
    shared.read(|live| {
        live.world.subscription(sub).map_or_else(
            || {
                Answer::arm_error(
                    StatusCode::NOT_FOUND,
                    "SubscriptionNotFound",
                    format!("The subscription '{sub}' could not be found."),
                )
            },
            |s| Answer::json(StatusCode::OK, &subscription_json(&live.world, s)),
        )
    })
}

fn location_json(sub: &str, r: &Region) -> Value {
    let group = r.geography_group.as_deref();
    let regional = group.map_or_else(
        || r.display_name.clone(),
        |g| format!("({g}) {}", r.display_name),
    );
    let mut metadata = json!({
        "regionType": "Physical",
        "regionCategory": "Recommended",
        "pairedRegion": r.pair.iter().map(|p| json!({
            "name": p,
            "id": format!("/subscriptions/{sub}/locations/{p}"),
        })).collect::<Vec<_>>(),
    });
    if let Some((lat, long, place)) = &r.place {
        metadata["latitude"] = json!(lat);
        metadata["longitude"] = json!(long);
        metadata["physicalLocation"] = json!(place);
    }
    if let Some(g) = group {
        metadata["geographyGroup"] = json!(g);
        metadata["geography"] = json!(g);
    }
    json!({
        "id": format!("/subscriptions/{sub}/locations/{}", r.name),
        "name": r.name,
        "type": "Region",
        "displayName": r.display_name,
        "regionalDisplayName": regional,
        "metadata": metadata,
    })
}

/// `GET /subscriptions/{id}/locations` (one page, as ARM declares).
pub(crate) fn list_locations(shared: &Shared, sub: &str) -> Answer {
    let stored = shared.read(|live| live.world.subscription(sub).map(|s| s.id.clone()));
    let sub = stored.unwrap_or_else(|| sub.to_owned());
    let value: Vec<Value> = shared.read(|live| {
        live.world
            .regions()
            .iter()
            .map(|r| location_json(&sub, r))
            .collect()
    });
    Answer::json(StatusCode::OK, &json!({ "value": value }))
}

fn group_json(sub: &str, name: &str, location: &str) -> Value {
    json!({
        "id": format!("/subscriptions/{sub}/resourceGroups/{name}"),
        "name": name,
        "type": "Microsoft.Resources/resourceGroups",
        "location": location,
        "properties": { "provisioningState": "Succeeded" }
    })
}

/// `GET /subscriptions/{id}/resourcegroups` (paged).
pub(crate) fn list_resource_groups(
    shared: &Shared,
    req: &Incoming,
    sub: &str,
    version: &str,
) -> Answer {
    let items = shared.read(|live| {
        let stored = live.world.subscription(sub).map_or(sub, |s| s.id.as_str());
        live.world
            .resource_groups(sub)
            .iter()
            .map(|(name, region)| group_json(stored, name, region))
            .collect()
    });
    page(shared, req, version, items)
}

/// `GET /subscriptions/{id}/resourcegroups/{rg}` (existence was checked before).
pub(crate) fn get_resource_group(shared: &Shared, sub: &str, rg: &str) -> Answer {
    shared.read(|live| {
        let stored = live.world.subscription(sub).map_or(sub, |s| s.id.as_str());
        live.world
            .resource_groups(sub)
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(rg))
            .map_or_else(
                || {
                    Answer::arm_error(
                        StatusCode::NOT_FOUND,
                        "ResourceGroupNotFound",
                        format!("Resource group '{rg}' could not be found."),
                    )
                },
                |(name, region)| Answer::json(StatusCode::OK, &group_json(stored, name, region)),
            )
    })
}
