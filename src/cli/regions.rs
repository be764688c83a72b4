//! `apim-dr regions --service S [--disable-gateway R | --enable-gateway R --yes]`: each region
//! of a service with its gateway's health (Premium multi-region), and the drill switch that
//! turns one region's gateway off and on again.

use std::io::Write;

use super::exit::{CliError, CmdResult, ExitCode};
use super::output::{json, table};
use super::{Output, resolve};
use crate::domain::error::UserError;
use crate::engine::regions::{Health, Regions};
use crate::engine::{Engine, EngineError};

/// `apim-dr regions`'s flags.
#[derive(Debug, Clone, clap::Args)]
pub struct RegionsArgs {
    /// The service: its full ARM resource id, or its name when no other visible service has it.
    #[arg(long, value_name = "SERVICE")]
    pub service: String,
    /// Switch this region's gateway off (it routes no traffic; the main host routes around
    /// it). A drill of a regional outage; needs --yes.
    #[arg(long, value_name = "REGION", conflicts_with = "enable_gateway")]
    pub disable_gateway: Option<String>,
    /// Switch this region's gateway on again; needs --yes.
    #[arg(long, value_name = "REGION")]
    pub enable_gateway: Option<String>,
    /// Confirm a switch.
    #[arg(long)]
    pub yes: bool,
}

/// `apim-dr regions`: exit 0 when the main host and every enabled region serve, 1 when the
/// main host does not (no traffic is served), 3 when a region does not.
///
/// # Errors
/// [`CliError`] for bad input, refusals and failed calls.
pub async fn run(engine: &Engine, output: Output, args: &RegionsArgs) -> CmdResult {
    resolve::service_shape("--service", &args.service)?;
    let switch = match (&args.disable_gateway, &args.enable_gateway) {
        (Some(r), _) => Some((r.as_str(), true)),
        (None, Some(r)) => Some((r.as_str(), false)),
        (None, None) => None,
    };
    if switch.is_some() && engine.read_only() {
        return Err(CliError::from(&EngineError::ReadOnly));
    }
    let id = resolve::service(engine.client(), "--service", &args.service).await?;
    let regions = match switch {
        Some((region, off)) if !args.yes => {
            let verb = if off { "switches off" } else { "switches on" };
            return Err(CliError::usage(UserError::new(format!(
                "this {verb} the gateway of {} in {region}{}; add --yes to confirm",
                id.name,
                if off {
                    " (it routes no traffic until switched on)"
                } else {
                    ""
                }
            ))));
        }
        Some((region, off)) => engine
            .set_gateway(&id, region, off)
            .await
            .map_err(|e| CliError::from(&e))?,
        None => engine
            .regions(&id)
            .await
            .map_err(|e| CliError::api("reading the service", &e))?,
    };
    let mut out = std::io::stdout().lock();
    match output {
        Output::Json | Output::Jsonl => json(&mut out, &json_of(&regions)),
        Output::Text => text(&mut out, &regions),
    }
    .map_err(|e| CliError::failed(UserError::new(format!("cannot write output: {e}"))))?;
    Ok(exit_code(&regions))
}

fn exit_code(r: &Regions) -> ExitCode {
    if r.main_health.as_ref().is_some_and(|h| *h != Ok(200)) {
        ExitCode::Failed
    } else if r.regions.iter().any(|g| !g.disabled && !g.serves()) {
        ExitCode::Unconfirmed
    } else {
        ExitCode::Ok
    }
}

/// `-o json`: `{service, main: {url, status, error, serves}, regions: [{location, primary,
/// url, gateway_disabled, status, error, serves}]}` (`status`: the health endpoint's HTTP
/// status, `null` with `error` when nothing answered).
fn json_of(r: &Regions) -> serde_json::Value {
    let health = |h: Option<&Health>| {
        let (status, error) = match h {
            Some(Ok(code)) => (Some(*code), None),
            Some(Err(e)) => (None, Some(e.clone())),
            None => (None, None),
        };
        (status, error, status == Some(200))
    };
    let (status, error, serves) = health(r.main_health.as_ref());
    serde_json::json!({
        "service": r.service,
        "main": {"url": r.main_url, "status": status, "error": error, "serves": serves},
        "regions": r.regions.iter().map(|g| {
            let (status, error, serves) = health(Some(&g.health));
            serde_json::json!({
                "location": g.location,
                "primary": g.primary,
                "url": g.url,
                "gateway_disabled": g.disabled,
                "status": status,
                "error": error,
                "serves": serves,
            })
        }).collect::<Vec<_>>(),
    })
}

fn health_word(h: &Health) -> String {
    match h {
        Ok(200) => "✔ 200".to_owned(),
        Ok(code) => format!("✖ {code}"),
        Err(e) => format!("? no answer ({e})"),
    }
}

fn text(out: &mut impl Write, r: &Regions) -> std::io::Result<()> {
    let rows: Vec<Vec<String>> = r
        .regions
        .iter()
        .map(|g| {
            vec![
                g.location.clone(),
                if g.primary { "primary" } else { "additional" }.to_owned(),
                if g.disabled { "off" } else { "on" }.to_owned(),
                health_word(&g.health),
            ]
        })
        .collect();
    table(out, &["REGION", "ROLE", "GATEWAY", "HEALTH"], &rows)?;
    if let Some(h) = &r.main_health {
        writeln!(out, "main host: {}", health_word(h))?;
    }
    let primary_down = r.regions.iter().any(|g| g.primary && !g.serves());
    let others_serve = r.regions.iter().any(|g| !g.primary && g.serves());
    if primary_down && others_serve {
        writeln!(
            out,
            "the primary region's gateway does not serve, but traffic is served from the other region(s): no restore is needed for traffic. The management plane (configuration changes, backup, restore) lives in the primary region."
        )?;
    }
    Ok(())
}
