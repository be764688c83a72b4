//! The workspace part of a service entry: which tiers have workspaces, workspace ids and the
//! workspace gateway a workspace may be linked to. Every error names the entry
//! (`services[2].workspaces[0].gateway: …`). Pure.

use serde::Deserialize;

use super::WorldError;

/// A workspace of a service, optionally linked to a workspace gateway (a
/// `Microsoft.ApiManagement/gateways` resource beside the service, with a config connection
/// whose `sourceId` is the workspace).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Workspace {
    pub name: String,
    #[serde(default)]
    pub display_name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub gateway: Option<String>,
}

/// Tiers that have workspaces (the workspaces overview).
const WORKSPACE_TIERS: [&str; 4] = ["Premium", "BasicV2", "StandardV2", "PremiumV2"];

pub(crate) fn workspaces(
    path: &str,
    sku: &str,
    list: Vec<Workspace>,
) -> Result<Vec<Workspace>, WorldError> {
    if !list.is_empty() && !WORKSPACE_TIERS.iter().any(|t| t.eq_ignore_ascii_case(sku)) {
        return Err(WorldError::invalid(
            format!("{path}.workspaces"),
            format!(
                "the {sku} tier has no workspaces (only {})",
                WORKSPACE_TIERS.join(", ")
            ),
        ));
    }
    let mut out: Vec<Workspace> = Vec::new();
    for (j, mut w) in list.into_iter().enumerate() {
        let p = format!("{path}.workspaces[{j}]");
        let bad = w.name.is_empty()
            || w.name.len() > 80
            || w.name
                .chars()
                .any(|c| c.is_whitespace() || "/?#%&*:<>\\+".contains(c));
        if bad || out.iter().any(|o| o.name.eq_ignore_ascii_case(&w.name)) {
            return Err(WorldError::invalid(
                format!("{p}.name"),
                format!(
                    "'{}' is not a new workspace id (1-80 characters, no spaces or /?#%&*:<>\\+)",
                    w.name
                ),
            ));
        }
        if let Some(g) = &w.gateway {
            let ok = g.len() <= 45
                && g.starts_with(|c: char| c.is_ascii_alphabetic())
                && !g.ends_with('-')
                && g.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
            if !ok {
                return Err(WorldError::invalid(
                    format!("{p}.gateway"),
                    format!(
                        "'{g}' is not a gateway name (a letter, then letters, digits and hyphens, at most 45)"
                    ),
                ));
            }
        }
        if w.display_name.is_empty() {
            w.display_name.clone_from(&w.name);
        }
        out.push(w);
    }
    Ok(out)
}
