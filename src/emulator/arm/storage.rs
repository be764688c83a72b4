//! `Microsoft.Storage` on the ARM port: storage account lists (subscription and resource
//! group), one account, and `listKeys`, shaped like `StorageAccountList.json`,
//! `StorageAccountGetProperties.json` (`networkAcls`, `publicNetworkAccess`,
//! `allowSharedKeyAccess`) and `StorageAccountListKeys.json`. `primaryEndpoints.blob` points at
//! the emulator's Blob port in path style (`http://127.0.0.1:PORT/{account}/`), as Azurite does.
//! `listKeys` works whatever `allowSharedKeyAccess` says, as in Azure.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::paging::page;
use crate::emulator::apim::resource_not_found;
use crate::emulator::arm::route::StoragePart;
use crate::emulator::state::Shared;
use crate::emulator::transport::answer::{Answer, arm_time};
use crate::emulator::transport::server::Incoming;
use crate::emulator::world::{Account, StorageNetwork, World};

fn network_acls(n: &StorageNetwork) -> Value {
    json!({
        "bypass": n.bypass_text(),
        "defaultAction": if n.deny_by_default { "Deny" } else { "Allow" },
        "ipRules": n.ip_rules.iter().map(|r| json!({"value": r.value, "action": "Allow"})).collect::<Vec<_>>(),
        "virtualNetworkRules": n.virtual_network_rules.iter()
            .map(|id| json!({"id": id, "action": "Allow", "state": "Succeeded"}))
            .collect::<Vec<_>>(),
        "resourceAccessRules": n.resource_access_rules.iter()
            .map(|r| json!({"resourceId": r.resource_id, "tenantId": r.tenant_id}))
            .collect::<Vec<_>>(),
    })
}

fn account_json(shared: &Shared, world: &World, a: &Account) -> Value {
    let created = arm_time(a.created);
    let secondary = world
        .locations
        .iter()
        .find(|r| r.name == a.location)
        .and_then(|r| r.pair.clone())
        .unwrap_or_default();
    let encrypted = json!({"enabled": true, "keyType": "Account", "lastEnabledTime": created});
    json!({
        "id": a.id(),
        "name": a.name,
        "type": "Microsoft.Storage/storageAccounts",
        "location": a.location,
        "tags": {},
        "kind": "StorageV2",
        "sku": {"name": "Standard_RAGRS", "tier": "Standard"},
        "properties": {
            "creationTime": created,
            "keyCreationTime": {"key1": created, "key2": created},
            // Only Blob is emulated; the other services get Azure's host names, unreachable here.
            "primaryEndpoints": {
                "blob": format!("{}/{}/", shared.blob_base, a.name),
                "dfs": format!("https://{}.dfs.core.windows.net/", a.name),
                "file": format!("https://{}.file.core.windows.net/", a.name),
                "queue": format!("https://{}.queue.core.windows.net/", a.name),
                "table": format!("https://{}.table.core.windows.net/", a.name),
                "web": format!("https://{}.z6.web.core.windows.net/", a.name),
            },
            "primaryLocation": a.location,
            "secondaryLocation": secondary,
            "statusOfPrimary": "available",
            "statusOfSecondary": "available",
            "provisioningState": "Succeeded",
            "allowSharedKeyAccess": a.allow_shared_key_access,
            "allowBlobPublicAccess": false,
            "minimumTlsVersion": "TLS1_2",
            "supportsHttpsTrafficOnly": true,
            "accessTier": "Hot",
            "publicNetworkAccess": a.network.public_network_access,
            "networkAcls": network_acls(&a.network),
            "encryption": {
                "keySource": "Microsoft.Storage",
                "services": {"blob": encrypted.clone(), "file": encrypted},
            },
        }
    })
}

/// `GET /subscriptions/{id}[/resourceGroups/{rg}]/providers/Microsoft.Storage/storageAccounts`.
pub(crate) fn list_accounts(
    shared: &Shared,
    req: &Incoming,
    sub: &str,
    rg: Option<&str>,
    version: &str,
) -> Answer {
    let items: Vec<Value> = shared.read(|live| {
        live.world
            .accounts_in(sub, rg)
            .map(|a| account_json(shared, &live.world, a))
            .collect()
    });
    page(shared, req, version, items)
}

/// The addressed account, or ARM's 404.
pub(crate) fn find_account<'w>(
    world: &'w World,
    (sub, rg, name): (&str, &str, &str),
) -> Result<&'w Account, Answer> {
    world
        .accounts
        .iter()
        .find(|a| {
            a.subscription.eq_ignore_ascii_case(sub)
                && a.resource_group.eq_ignore_ascii_case(rg)
                && a.name.eq_ignore_ascii_case(name)
        })
        .ok_or_else(|| resource_not_found("Microsoft.Storage/storageAccounts", rg, name))
}

/// `GET {account}` and `POST {account}/listKeys`.
pub(crate) fn account_request(
    shared: &Shared,
    req: &Incoming,
    account: (&str, &str, &str),
    part: &StoragePart,
) -> Answer {
    shared.answer(|live| {
        let a = find_account(&live.world, account)?;
        Ok(match part {
            StoragePart::Itself if req.method == Method::GET => {
                Answer::json(StatusCode::OK, &account_json(shared, &live.world, a))
            }
            StoragePart::Action(act) if act.eq_ignore_ascii_case("listKeys") => {
                let created = arm_time(a.created);
                let keys: Vec<Value> = a
                    .keys
                    .iter()
                    .zip(["key1", "key2"])
                    .map(|(k, n)| {
                        json!({"keyName": n, "value": k.expose(), "permissions": "FULL", "creationTime": created})
                    })
                    .collect();
                Answer::json(StatusCode::OK, &json!({ "keys": keys }))
            }
            StoragePart::Action(other) | StoragePart::Other(other) => Answer::arm_error(
                StatusCode::BAD_REQUEST,
                "InvalidResourceType",
                format!(
                    "The resource type 'storageAccounts/{other}' could not be found in the namespace 'Microsoft.Storage'."
                ),
            ),
            _ => Answer::arm_error(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                format!(
                    "The requested resource does not support http method '{}'.",
                    req.method
                ),
            ),
        })
    })
}
