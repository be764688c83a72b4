//! The paper runbook of a restore: the `az` and `curl` commands an operator would type to do by
//! hand what `apim-dr restore` does (pre-flight reads, the storage key, the POST with its body,
//! polling the operation URL, the final read), each commented. Secrets are never in it: the
//! storage key and the ARM token are shell variables the commands fill (`$ACCESS_KEY`,
//! `$TOKEN`). Pure: the CLI (`cli/runbook.rs`) resolves the target and prints it.
//!
//! The commands are the Azure CLI's own (`az apim show`, `az apim api list`, `az storage
//! account show`, `az storage account keys list`, `az storage blob exists`, `az storage blob
//! metadata show`, `az account get-access-token`, `az apim restore`); the POST and the polls go
//! through `curl`, because `az rest` prints the response body only, and the operation URL is
//! in the 202's `Location` header (`shared/reference/azure-api.md` §3).

use std::fmt::Write as _;

use serde::Serialize;

use super::backup::keys;
use super::operation::{AccessType, RestorePlan};

/// The shell variable that holds the storage account key (never its value).
pub const KEY_VAR: &str = "ACCESS_KEY";
/// The shell variable that holds the ARM token (never its value).
pub const TOKEN_VAR: &str = "TOKEN";

/// One step of the runbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RunbookStep {
    /// Stable id: `sign_in`, `target`, `storage`, `blob`, `key`, `token`, `post`, `poll`,
    /// `verify`.
    pub id: &'static str,
    /// What the step is for, one line.
    pub title: String,
    /// What to look at in its output, and why.
    pub comment: String,
    /// The shell commands (bash), one or more lines.
    pub commands: String,
}

/// A restore's runbook, for one plan against one ARM endpoint and api-version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Runbook {
    /// The backup, `ACCOUNT/CONTAINER/BLOB`.
    pub backup: String,
    /// The target service's ARM id.
    pub target: String,
    /// The api-version of the POST and the reads.
    pub api_version: String,
    /// The steps, in order.
    pub steps: Vec<RunbookStep>,
}

/// `'text'` for a POSIX shell: single quotes, with each `'` closed, escaped and reopened.
pub fn sh_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

impl Runbook {
    /// The runbook of restoring `plan` through the ARM endpoint `arm` (no trailing slash
    /// needed) with `api_version`.
    pub fn restore(plan: &RestorePlan, arm: &str, api_version: &str) -> Self {
        let arm = arm.trim_end_matches('/');
        let t = &plan.target;
        let b = &plan.backup;
        let sub = sh_quote(t.subscription.as_str());
        let (rg, name) = (
            sh_quote(t.resource_group.as_str()),
            sh_quote(t.name.as_str()),
        );
        let account = sh_quote(b.account.as_str());
        let url = format!("{arm}{}/restore?api-version={api_version}", t.path());
        let mut steps = reads(plan);
        if plan.access == AccessType::AccessKey {
            steps.push(step(
                "key",
                "The storage account key, into a shell variable",
                "Held in the shell only: never echo it, paste it in a ticket or commit it.",
                format!(
                    "{KEY_VAR}=$(az storage account keys list --account-name {account} --query \"[0].value\" -o tsv)"
                ),
            ));
        }
        steps.push(step(
            "token",
            "An ARM token, into a shell variable",
            "az rest prints only the response body; the POST's operation URL is in its Location header, so the POST and the polls go through curl with this token.",
            format!(
                "{TOKEN_VAR}=$(az account get-access-token --resource {} --query accessToken -o tsv)",
                sh_quote(&format!("{arm}/"))
            ),
        ));
        steps.push(step(
            "post",
            "Start the restore: POST …/restore (202 Accepted with a Location header)",
            &post_comment(&plan.access),
            format!(
                "BODY={}\nLOCATION=$(curl -sS -D - -o /dev/null -X POST \\\n  -H \"Authorization: Bearer ${TOKEN_VAR}\" -H 'Content-Type: application/json' \\\n  --data \"$BODY\" {} \\\n  | awk 'tolower($1) == \"location:\" {{ print $2 }}' | tr -d '\\r')\necho \"operation URL: $LOCATION\"",
                body(plan),
                sh_quote(&url)
            ),
        ));
        steps.push(step(
            "poll",
            "Poll the operation URL until it is no longer 202",
            "202: still running (restores take 30 minutes or more); 200: done, the body is the restored service; anything else: failed, the body is Azure's error (quote it in a support ticket).",
            format!(
                "while :; do\n  CODE=$(curl -sS -o poll.json -w '%{{http_code}}' -H \"Authorization: Bearer ${TOKEN_VAR}\" \"$LOCATION\")\n  echo \"$(date -u +%H:%M:%SZ) HTTP $CODE\"\n  [ \"$CODE\" = 202 ] || break\n  sleep 30\ndone\ncat poll.json"
            ),
        ));
        steps.push(step(
            "verify",
            "Verify: the target is Succeeded and carries the backup's APIs",
            "Then the steps a backup does not carry: DNS/CNAME switch, custom domains and certificates, VNet, managed identity and its roles, diagnostics, protocol and cipher settings, developer portal content, scale to the source's units.",
            format!(
                "az apim show --name {name} --resource-group {rg} --subscription {sub} \\\n  --query \"{{state:provisioningState, tier:sku.name, units:sku.capacity}}\" -o table\naz apim api list --service-name {name} --resource-group {rg} --subscription {sub} \\\n  --query \"length(@)\""
            ),
        ));
        Self {
            backup: b.to_string(),
            target: t.path(),
            api_version: api_version.to_owned(),
            steps,
        }
    }

    /// The runbook as one bash script: a header, then each step as comments over its commands.
    pub fn shell(&self) -> String {
        let mut out = format!(
            "#!/usr/bin/env bash\n# Restore {} into\n#   {}\n# by hand (api-version {}). Secrets stay in shell variables (${KEY_VAR}, ${TOKEN_VAR}).\nset -euo pipefail\n",
            self.backup, self.target, self.api_version
        );
        for (i, s) in self.steps.iter().enumerate() {
            let _ = writeln!(out, "\n# {}. {}", i + 1, s.title);
            for line in wrap(&s.comment, 94) {
                let _ = writeln!(out, "#    {line}");
            }
            out.push_str(&s.commands);
            out.push('\n');
        }
        out
    }
}

/// Sign-in and the pre-flight reads: the target, the storage account, the blob and its catalog.
fn reads(plan: &RestorePlan) -> Vec<RunbookStep> {
    let (t, b) = (&plan.target, &plan.backup);
    let sub = sh_quote(t.subscription.as_str());
    let (rg, name) = (
        sh_quote(t.resource_group.as_str()),
        sh_quote(t.name.as_str()),
    );
    let (account, container, blob) = (
        sh_quote(b.account.as_str()),
        sh_quote(b.container.as_str()),
        sh_quote(b.blob.as_str()),
    );
    vec![
        step(
            "sign_in",
            "Sign in and select the target's subscription",
            "Every command below runs as this identity; it needs the API Management Service Contributor role (or more) on the target.",
            format!("az login\naz account set --subscription {sub}"),
        ),
        step(
            "target",
            "Pre-flight: read the target service",
            "state must be Succeeded (not Updating: one operation at a time); tier must be Developer, Basic, Standard or Premium and equal the backup's tier. The restore overwrites this service's configuration.",
            format!(
                "az apim show --name {name} --resource-group {rg} --subscription {sub} \\\n  --query \"{{state:provisioningState, tier:sku.name, units:sku.capacity, region:location}}\" -o table"
            ),
        ),
        step(
            "storage",
            "Pre-flight: read the storage account's network and key settings",
            "With a firewall (defaultAction Deny), APIM must be admitted (trusted services with a managed identity, or its IP); allowSharedKeyAccess false rules out the access key. Add --subscription to this step and the key's when the account is in another subscription.",
            format!(
                "az storage account show --name {account} \\\n  --query \"{{publicNetworkAccess:publicNetworkAccess, defaultAction:networkRuleSet.defaultAction, allowSharedKeyAccess:allowSharedKeyAccess}}\" -o table"
            ),
        ),
        step(
            "blob",
            "Pre-flight: the backup blob exists, and its catalog",
            &format!(
                "exists must be true. Azure refuses a backup older than 30 days (\"Cannot restore: backup expired\"); apim-dr's catalog metadata ({}, {}) gives its tier and time when present.",
                keys::SOURCE_SKU,
                keys::STARTED,
            ),
            format!(
                "az storage blob exists --account-name {account} --container-name {container} \\\n  --name {blob} --auth-mode login\naz storage blob metadata show --account-name {account} --container-name {container} \\\n  --name {blob} --auth-mode login"
            ),
        ),
    ]
}

fn step(id: &'static str, title: &str, comment: &str, commands: String) -> RunbookStep {
    RunbookStep {
        id,
        title: title.to_owned(),
        comment: comment.to_owned(),
        commands,
    }
}

/// What the POST's comment says, with the one-command alternative where `az apim restore`
/// can do it (it takes an access key only).
fn post_comment(access: &AccessType) -> String {
    let base = "This OVERWRITES the target's configuration. Azure answers 202 Accepted; the operation URL is printed.";
    match access {
        AccessType::AccessKey => format!(
            "{base} Or, in one command that waits to the end: az apim restore --name NAME --resource-group RG --storage-account-name ACCOUNT --storage-account-container CONTAINER --backup-name BLOB --storage-account-key \"${KEY_VAR}\"."
        ),
        _ => format!(
            "{base} The service's managed identity needs Storage Blob Data Contributor on the account."
        ),
    }
}

/// `'{"storageAccount":…}'` in the wire's field order, with the key spliced in as
/// `"$ACCESS_KEY"` between two quoted parts.
fn body(plan: &RestorePlan) -> String {
    let b = &plan.backup;
    let quoted = |v: &str| serde_json::Value::from(v).to_string();
    let mut json = format!(
        "{{\"storageAccount\":{},\"containerName\":{},\"backupName\":{},\"accessType\":{}",
        quoted(b.account.as_str()),
        quoted(b.container.as_str()),
        quoted(b.blob.as_str()),
        quoted(plan.access.wire_name()),
    );
    match &plan.access {
        AccessType::AccessKey => {
            json.push_str(",\"accessKey\":\"");
            return format!("{}\"${KEY_VAR}\"{}", sh_quote(&json), sh_quote("\"}"));
        }
        AccessType::UserAssignedManagedIdentity { client_id } => {
            let _ = write!(json, ",\"clientId\":{}", quoted(client_id));
        }
        AccessType::SystemAssignedManagedIdentity => {}
    }
    json.push('}');
    sh_quote(&json)
}

/// `text` in lines of at most `width` characters, broken at spaces.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests;
