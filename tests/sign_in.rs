//! Every sign-in path, end to end over loopback: the real binary with the real
//! `azure_identity` credentials, against the emulator's identity endpoints and its ARM and
//! Blob front doors. The Azure CLI path runs a stand-in `az` on `PATH` that answers
//! `account get-access-token` as the real one does; managed identity goes through the App
//! Service endpoint variables; a restore outlives several tokens and is refreshed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use apim_dr::emulator::{EmulatorConfig, EmulatorHandle, TokenAudience, World};
use common::cli::{BIN, code, restore_to_standby, stderr, stdout};
use common::emu;
use serde_json::Value;

const ARM_SCOPE: &str = "https://management.azure.com/.default";
const STORAGE_SCOPE: &str = "https://storage.azure.com/.default";
const UAMI: &str = "6d1f0c3e-2b4a-4f5e-8a7b-9c0d1e2f3a4b";

/// The demo world with Shared Key turned off on `stcontosodrneu`, so listing its backups
/// needs a storage token.
fn world_without_shared_key() -> World {
    let mut w: Value =
        serde_json::from_str(include_str!("../assets/emulator/demo-world.json")).unwrap();
    for a in w["storage_accounts"].as_array_mut().unwrap() {
        if a["name"] == "stcontosodrneu" {
            a["allow_shared_key_access"] = Value::Bool(false);
        }
    }
    World::from_json(&w.to_string()).unwrap()
}

/// The binary against `e`, with no fixed token, isolated dirs, and `PATH` as given.
fn apim_dr(e: &EmulatorHandle, dir: &Path, path: &str, args: &[&str]) -> Command {
    let mut c = Command::new(BIN);
    c.args(args)
        .env("APIM_DR_ARM_ENDPOINT", e.arm_endpoint().as_str())
        .env_remove("APIM_DR_ACCESS_TOKEN")
        .env_remove("APIM_DR_TENANT_ID")
        .env_remove("APIM_DR_AUTH_CLIENT_ID")
        .env_remove("IDENTITY_ENDPOINT")
        .env_remove("IDENTITY_HEADER")
        .env_remove("AZURE_CLIENT_SECRET")
        .env("APIM_DR_DATA_DIR", dir.join("data"))
        .env("APIM_DR_CONFIG_DIR", dir.join("config"))
        .env("PATH", path);
    c
}

async fn output(mut c: Command) -> Output {
    tokio::task::spawn_blocking(move || c.output().unwrap())
        .await
        .unwrap()
}

/// A token from the emulator's Entra endpoint, as `az login --service-principal` gets one.
async fn entra_token(e: &EmulatorHandle, scope: &str) -> (String, i64) {
    let url = format!("{}{}/oauth2/v2.0/token", e.arm_endpoint(), e.tenant_id());
    let reply: Value = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(
            url::form_urlencoded::Serializer::new(String::new())
                .append_pair("grant_type", "client_credentials")
                .append_pair("client_id", UAMI)
                .append_pair("client_secret", "drill-secret")
                .append_pair("scope", scope)
                .finish(),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        reply["access_token"].as_str().unwrap().to_owned(),
        reply["expires_in"].as_i64().unwrap(),
    )
}

/// A stand-in `az` in `dir/bin`: `account get-access-token` prints the real CLI's JSON
/// (`accessToken`, `expiresOn` in local time, `expires_on` in epoch seconds, `subscription`,
/// `tenant`, `tokenType`) for the ARM or storage scope (or `--resource`), in the one tenant
/// it is logged in to; anything else fails as `az` does, on stderr. Every call is logged.
fn stand_in_az(dir: &Path, tenant: &str, arm: &str, storage: &str, expires_on: i64) -> String {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("az.log");
    let script = format!(
        r#"#!/bin/sh
echo "$*" >> '{log}'
[ "$1 $2" = "account get-access-token" ] || {{ echo "ERROR: stand-in az knows only account get-access-token" >&2; exit 2; }}
scope=""; tenant="{tenant}"
while [ $# -gt 0 ]; do
  case "$1" in
    --scope|--resource) scope="$2"; shift ;;
    --tenant) tenant="$2"; shift ;;
  esac
  shift
done
if [ "$tenant" != "{tenant}" ]; then
  echo "ERROR: AADSTS90002: Tenant '$tenant' not found. Run 'az login --tenant $tenant' to sign in to it." >&2
  exit 1
fi
case "$scope" in
  https://management.azure.com/.default|https://management.azure.com|https://management.core.windows.net/) token='{arm}' ;;
  https://storage.azure.com/.default|https://storage.azure.com) token='{storage}' ;;
  *) echo "ERROR: AADSTS500011: The resource principal named $scope was not found in the tenant named $tenant." >&2; exit 1 ;;
esac
cat <<JSON
{{
  "accessToken": "$token",
  "expiresOn": "$(date -d @{expires_on} '+%Y-%m-%d %H:%M:%S.000000')",
  "expires_on": {expires_on},
  "subscription": "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c",
  "tenant": "$tenant",
  "tokenType": "Bearer"
}}
JSON
"#,
        log = log.display()
    );
    let az = bin.join("az");
    std::fs::write(&az, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    // Absolute: azure_identity runs `cd /bin && az …`.
    format!("{}:/usr/bin:/bin", bin.display())
}

#[tokio::test(flavor = "multi_thread")]
async fn azure_cli_login_gives_arm_and_storage_tokens_in_the_tenant_asked_for() {
    let e = emu::start(EmulatorConfig::new(world_without_shared_key())).await;
    let dir = tempfile::tempdir().unwrap();
    let tenant = e.tenant_id();
    let (arm, lifetime) = entra_token(&e, ARM_SCOPE).await;
    let (storage, _) = entra_token(&e, STORAGE_SCOPE).await;
    let expires_on = time::OffsetDateTime::now_utc().unix_timestamp() + lifetime;
    let path = stand_in_az(dir.path(), &tenant, &arm, &storage, expires_on);

    // Blobs of an account without Shared Key: ARM for the account, a storage token for Blob.
    let args = [
        "backups",
        "--account",
        "stcontosodrneu",
        "--auth",
        "cli",
        "--tenant",
        &tenant,
        "-o",
        "json",
    ];
    let o = output(apim_dr(&e, dir.path(), &path, &args)).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    assert!(!list.is_empty());
    let calls = std::fs::read_to_string(dir.path().join("az.log")).unwrap();
    assert!(
        calls.contains(&format!("--scope {ARM_SCOPE} --tenant {tenant}")),
        "{calls}"
    );
    assert!(
        calls.contains(&format!("--scope {STORAGE_SCOPE} --tenant {tenant}")),
        "{calls}"
    );
    let blob_reads = e
        .requests()
        .into_iter()
        .filter(|r| r.port == "blob")
        .collect::<Vec<_>>();
    assert!(
        !blob_reads.is_empty() && blob_reads.iter().all(|r| r.status == 200),
        "{blob_reads:?}"
    );

    // doctor names the credential, the tenant and each audience's expiry.
    let o = output(apim_dr(
        &e,
        dir.path(),
        &path,
        &["doctor", "--auth", "cli", "--tenant", &tenant],
    ))
    .await;
    let text = stdout(&o);
    assert!(
        text.contains(&format!(
            "Credential: --auth cli: azure-cli (tenant {tenant})"
        )),
        "{text}"
    );
    let stamp = apim_dr::domain::duration::utc_stamp(
        time::OffsetDateTime::from_unix_timestamp(expires_on).unwrap(),
    );
    for audience in ["ARM token", "Storage token"] {
        assert!(
            text.contains(&format!(
                "{audience}: via azure-cli, tenant {tenant} (as asked), expires {stamp}"
            )),
            "{text}"
        );
    }

    // Another tenant: az's own refusal reaches the operator, exit 1.
    let o = output(apim_dr(
        &e,
        dir.path(),
        &path,
        &[
            "services",
            "--auth",
            "cli",
            "--tenant",
            "contoso.onmicrosoft.com",
        ],
    ))
    .await;
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("AADSTS90002"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_storage_token_is_not_accepted_by_arm_nor_an_expired_one_anywhere() {
    let mut config = EmulatorConfig::new(World::demo().unwrap());
    config.token_lifetime = Duration::from_secs(1);
    let e = emu::start(config).await;
    let http = reqwest::Client::new();
    let subs = format!("{}subscriptions?api-version=2022-12-01", e.arm_endpoint());
    let (storage, _) = entra_token(&e, STORAGE_SCOPE).await;
    let r = http.get(&subs).bearer_auth(&storage).send().await.unwrap();
    assert_eq!(r.status(), 401);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "InvalidAuthenticationTokenAudience");

    let (arm, lifetime) = entra_token(&e, ARM_SCOPE).await;
    assert_eq!(lifetime, 1);
    assert_eq!(
        http.get(&subs)
            .bearer_auth(&arm)
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let r = http.get(&subs).bearer_auth(&arm).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(
        r.headers()["www-authenticate"]
            .to_str()
            .unwrap()
            .contains("invalid_token")
    );
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error"]["code"], "ExpiredAuthenticationToken");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("The access token expiry UTC time '")
            && message.contains("' is earlier than current UTC time '"),
        "{message}"
    );

    let r = http
        .get(format!("{}stcontosodrneu?comp=list", e.blob_endpoint()))
        .bearer_auth(&storage)
        .header("x-ms-version", "2025-01-05")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(r.headers()["x-ms-error-code"], "InvalidAuthenticationInfo");
    assert!(
        r.text()
            .await
            .unwrap()
            .contains("Lifetime validation failed. The token is expired.")
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn managed_identity_signs_in_through_the_app_service_endpoint_as_the_identity_named() {
    let e = emu::start(emu::fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut c = apim_dr(
        &e,
        dir.path(),
        "/usr/bin:/bin",
        &[
            "services",
            "-o",
            "json",
            "--auth",
            "msi",
            "--auth-client-id",
            UAMI,
        ],
    );
    c.env("IDENTITY_ENDPOINT", e.identity_endpoint().as_str())
        .env("IDENTITY_HEADER", e.identity_header().expose());
    let o = output(c).await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("apim-contoso-weu"));
    let issued = e.issued_tokens();
    assert_eq!(issued.len(), 1, "{issued:?}");
    assert_eq!(issued[0].endpoint, "app-service");
    assert_eq!(issued[0].audience, TokenAudience::Arm);
    assert_eq!(issued[0].client_id.as_deref(), Some(UAMI));

    // Without the header the endpoint refuses, and the operator is told.
    let mut c = apim_dr(
        &e,
        dir.path(),
        "/usr/bin:/bin",
        &["services", "--auth", "msi"],
    );
    c.env("IDENTITY_ENDPOINT", e.identity_endpoint().as_str())
        .env("IDENTITY_HEADER", "wrong");
    let o = output(c).await;
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(stderr(&o).contains("managed-identity"), "{}", stderr(&o));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_restore_outliving_its_token_is_refreshed_and_watched_to_success_with_one_post() {
    // Tokens last 2 s; the restore takes about 8 s (30 minutes at speed 225).
    let mut config = emu::fast_config();
    config.speed = 225.0;
    config.token_lifetime = Duration::from_secs(2);
    let e = emu::start(config).await;
    let dir = tempfile::tempdir().unwrap();
    let msi = |args: &[&str]| {
        let mut c = apim_dr(&e, dir.path(), "/usr/bin:/bin", args);
        c.env("IDENTITY_ENDPOINT", e.identity_endpoint().as_str())
            .env("IDENTITY_HEADER", e.identity_header().expose());
        c
    };
    let o = output(msi(&[
        "backups",
        "-o",
        "json",
        "--account",
        "stcontosodrneu",
        "--auth",
        "msi",
    ]))
    .await;
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let list: Vec<Value> = serde_json::from_str(&stdout(&o)).unwrap();
    let backup = list
        .iter()
        .find(|b| b["source_sku"] == "Standard" && b["expired"] == false)
        .unwrap()["backup"]
        .as_str()
        .unwrap()
        .to_owned();
    let before = e.issued_tokens().len();
    let args = restore_to_standby(&backup, &["--auth", "msi", "--poll-interval", "1"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = time::OffsetDateTime::now_utc();
    let o = output(msi(&args)).await;
    let ended = time::OffsetDateTime::now_utc();
    assert_eq!(code(&o), 0, "{}\n{}", stdout(&o), stderr(&o));
    assert!(
        ended - started > time::Duration::seconds(4),
        "the restore outlived a token"
    );
    assert_eq!(e.post_count("restore", &emu::standby_neu()), 1);
    let arm: Vec<_> = e.issued_tokens()[before..]
        .iter()
        .filter(|t| t.audience == TokenAudience::Arm)
        .cloned()
        .collect();
    assert!(arm.len() >= 3, "{arm:?}");
    // The first token was dead long before the end: the later polls ran on refreshed ones.
    assert!(arm[0].expires_at < ended - time::Duration::seconds(1));
    assert!(arm.last().unwrap().issued_at > arm[0].expires_at);
    let refused: Vec<_> = e
        .requests()
        .into_iter()
        .filter(|r| r.at >= started && r.status == 401)
        .collect();
    assert!(refused.is_empty(), "{refused:?}");
}

/// A transport that sends Entra's `https://` sign-in to the emulator over loopback, and
/// remembers the hosts and paths asked for (the credential refuses an `http://` authority).
#[derive(Debug)]
struct Loopback {
    port: u16,
    inner: reqwest::Client,
    seen: std::sync::Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl azure_core::http::HttpClient for Loopback {
    async fn execute_request(
        &self,
        request: &azure_core::http::Request,
    ) -> azure_core::Result<azure_core::http::AsyncRawResponse> {
        let mut r = request.clone();
        let url = r.url_mut();
        self.seen
            .lock()
            .unwrap()
            .push(format!("{}{}", url.host_str().unwrap_or(""), url.path()));
        url.set_scheme("http").unwrap();
        url.set_host(Some("127.0.0.1")).unwrap();
        url.set_port(Some(self.port)).unwrap();
        self.inner.execute_request(&r).await
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_service_principal_signs_in_to_the_tenant_and_cloud_asked_for() {
    use apim_dr::azure::auth::{AuthMethod, AuthSettings, TokenSource};
    use azure_core::cloud::CloudConfiguration;
    use std::sync::Arc;

    let e = emu::start(emu::fast_config()).await;
    for (cloud, host) in [
        (CloudConfiguration::AzurePublic, "login.microsoftonline.com"),
        (
            CloudConfiguration::AzureGovernment,
            "login.microsoftonline.us",
        ),
    ] {
        let loopback = Arc::new(Loopback {
            port: e.arm_endpoint().port().unwrap(),
            inner: reqwest::Client::new(),
            seen: std::sync::Mutex::new(Vec::new()),
        });
        let client_options = azure_core::http::ClientOptions {
            cloud: Some(Arc::new(cloud)),
            transport: Some(azure_core::http::Transport::new(loopback.clone())),
            ..azure_core::http::ClientOptions::default()
        };
        let tokens = TokenSource::from_settings(&AuthSettings {
            method: AuthMethod::Sp,
            scopes: apim_dr::azure::auth::Scopes::public(),
            tenant: Some(e.tenant_id()),
            client_id: Some(UAMI.to_owned()),
            client_secret: Some(apim_dr::secret::Secret::new("drill-secret")),
            client_options,
        })
        .unwrap();
        let client = apim_dr::azure::AzureClient::new(emu::fast_options(&e), tokens).unwrap();
        let subs = apim_dr::engine::inventory::subscriptions(&client)
            .await
            .unwrap();
        assert_eq!(subs.len(), 3);
        let seen = loopback.seen.lock().unwrap().clone();
        assert_eq!(
            seen,
            [format!("{host}/{}/oauth2/v2.0/token", e.tenant_id())]
        );
        let info = client
            .tokens()
            .token_info(apim_dr::azure::auth::Audience::Arm)
            .await
            .unwrap();
        assert_eq!(info.source, "service-principal");
        let left = info.expires_on.unwrap() - time::OffsetDateTime::now_utc();
        assert!(left > time::Duration::minutes(59), "{left}");
    }
    let issued = e.issued_tokens();
    assert!(
        issued
            .iter()
            .all(|t| t.endpoint == "entra" && t.client_id.as_deref() == Some(UAMI))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn azure_pipelines_without_its_variables_says_which_to_map() {
    let e = emu::start(emu::fast_config()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut c = apim_dr(
        &e,
        dir.path(),
        "/usr/bin:/bin",
        &[
            "services",
            "--auth",
            "pipelines",
            "--tenant",
            "contoso.onmicrosoft.com",
            "--auth-client-id",
            UAMI,
        ],
    );
    for v in [
        "AZURESUBSCRIPTION_SERVICE_CONNECTION_ID",
        "SYSTEM_ACCESSTOKEN",
        "SYSTEM_OIDCREQUESTURI",
    ] {
        c.env_remove(v);
    }
    let o = output(c).await;
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("azure-pipelines: set AZURESUBSCRIPTION_SERVICE_CONNECTION_ID"),
        "{}",
        stderr(&o)
    );
}
