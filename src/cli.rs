//! The command line: clap derive types (their doc comments are the `--help` text) and the
//! headless runners in `cli/`. Output is `-o text` (aligned tables, one line per progress
//! step), `-o json` (stable `snake_case`: one array for listings, one object per line for
//! progress) or `-o jsonl` (listings stream one object per line as items are found).

pub mod backup_all;
pub mod backup_row;
pub mod batch;
pub mod bounds;
pub mod cutover;
pub mod demo;
pub mod docs;
pub mod doctor;
pub mod drill;
pub mod effective;
pub mod emulator;
mod emulator_args;
pub mod examples;
pub mod exit;
pub mod failover;
pub mod failover_run;
pub mod listing;
pub mod operation_row;
pub mod operations;
pub mod output;
pub mod preflight;
pub mod progress;
pub mod prune;
pub mod regions;
pub mod report;
pub mod resolve;
pub mod rpo;
pub mod runbook;
pub mod standby;
pub mod startup;
mod sub_args;
pub mod tui;
pub mod verify;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::azure::auth::AuthMethod;
use crate::config::Cloud;
pub use emulator_args::{
    DemoArgs, EmulatorArgs, LroHeadersArg, RetryAfterArg, StorageErrorsArg, WorkspaceRefusalArg,
};
pub use sub_args::{AccessArgs, AccessTypeArg, OperationsAction, PreflightArgs, StandbyAction};

const AFTER_HELP: &str = "\
Environment:
  APIM_DR_ARM_ENDPOINT   ARM base URL (default https://management.azure.com; the emulator prints its own)
  APIM_DR_ACCESS_TOKEN   an ARM token obtained elsewhere (pipelines, the emulator); wins over --auth
  APIM_DR_STORAGE_TOKEN  with it: a storage token, for accounts without Shared Key
  APIM_DR_DATA_DIR       journal and logs (default: the platform data dir, e.g. ~/.local/share/apim-dr)
  APIM_DR_CONFIG_DIR     config.toml and keymap.toml (default: e.g. ~/.config/apim-dr)
  APIM_DR_LOG            log filter for the log file (default info), e.g. apim_dr=debug
  APIM_DR_TENANT_ID      --tenant;  APIM_DR_AUTH_CLIENT_ID   --auth-client-id
  AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET   service principal for --auth sp/auto
  AZURE_FEDERATED_TOKEN_FILE                              --auth workload (AKS)
  IDENTITY_ENDPOINT, IDENTITY_HEADER                      --auth msi on App Service (else IMDS)
  AZURESUBSCRIPTION_TENANT_ID, _CLIENT_ID, _SERVICE_CONNECTION_ID, SYSTEM_ACCESSTOKEN,
  SYSTEM_OIDCREQUESTURI                                   --auth pipelines (Azure Pipelines)
  NO_COLOR               monochrome TUI

Exit codes:
  0    success
  1    the operation failed, or pre-flight found a blocking problem
  2    bad usage or input (including a restore without --yes, read-only mode, and plain
       http:// to an ARM or storage endpoint that is not loopback)
  3    the operation was started but its outcome could not be confirmed
  130  interrupted while watching (the operation goes on in Azure; `apim-dr operations watch ID` resumes)

Run `apim-dr demo` to try everything against a local emulator, with no Azure account.";

/// `--version`: the package version, the commit and the UTC build date (`build.rs`).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("APIM_DR_COMMIT"),
    ", built ",
    env!("APIM_DR_BUILD_DATE"),
    ")"
);

/// Disaster-recovery failover of Azure API Management by backup and restore.
///
/// Without a command, opens the guided TUI against Azure.
#[derive(Debug, Parser)]
#[command(name = "apim-dr", version = VERSION, after_help = AFTER_HELP)]
pub struct Cli {
    /// Global options.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do (the TUI when omitted).
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// Options every command takes.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// ARM base URL; optional: by default the endpoint of --cloud (management.azure.com).
    #[arg(long, global = true, env = "APIM_DR_ARM_ENDPOINT", value_name = "URL")]
    pub arm_endpoint: Option<String>,
    /// Azure cloud preset (sets the ARM endpoint and token scopes).
    #[arg(long, global = true, value_enum)]
    pub cloud: Option<Cloud>,
    /// How to get a token when `APIM_DR_ACCESS_TOKEN` is not set.
    #[arg(long, global = true, value_enum)]
    pub auth: Option<AuthMethod>,
    /// Entra tenant (GUID or domain) to sign in to: `az` login, service principal, workload
    /// identity, pipelines.
    #[arg(long, global = true, env = "APIM_DR_TENANT_ID", value_name = "TENANT")]
    pub tenant: Option<String>,
    /// Client id of a user-assigned managed identity (--auth msi), or of the application
    /// (--auth sp, workload, pipelines).
    #[arg(
        long,
        global = true,
        env = "APIM_DR_AUTH_CLIENT_ID",
        value_name = "GUID"
    )]
    pub auth_client_id: Option<String>,
    /// Hide and refuse backup and restore.
    #[arg(long, global = true)]
    pub read_only: bool,
    /// Output format of headless commands.
    #[arg(short, long, global = true, value_enum, default_value_t = Output::Text)]
    pub output: Output,
    /// Seconds between polls when Azure sends no Retry-After (1-600; default 10).
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        value_parser = bounds::whole(crate::config::POLL_INTERVAL_SECS, "seconds")
    )]
    pub poll_interval: Option<u64>,
    /// Requests in flight at once during a walk (1-1024; default 32, at most 16 to one host).
    #[arg(
        long,
        global = true,
        env = "APIM_DR_MAX_IN_FLIGHT",
        value_name = "N",
        value_parser = bounds::whole(crate::config::IN_FLIGHT_RANGE, "requests")
    )]
    pub max_in_flight: Option<usize>,
}

/// `-o text|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Output {
    /// Aligned tables and progress lines.
    Text,
    /// Stable JSON.
    Json,
    /// One JSON object per line: listings stream each item as it is found; other commands
    /// print as with `json`.
    Jsonl,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Open the TUI against an embedded emulator with the demo world (no account, no network).
    #[command(
        long_about = "Open the guided TUI against an emulator started inside the process, \
        loaded with the demo world and sped up so a restore finishes in well under a minute. \
        Nothing touches Azure or the network."
    )]
    Demo(DemoArgs),
    /// Run the local Azure emulator (ARM, APIM, Storage, Blob) on 127.0.0.1.
    #[command(
        long_about = "Serve a local, faithful Azure on loopback: ARM subscriptions and locations, \
        APIM services with backup/restore long-running operations, storage accounts and keys, and \
        a Blob data plane with Shared Key. Used by `demo`, by the tests and for DR drills.",
        after_help = examples::EMULATOR
    )]
    Emulator(EmulatorArgs),
    /// List the subscriptions you can see.
    #[command(long_about = "List subscriptions (GET /subscriptions). Read-only.")]
    Subscriptions,
    /// List APIM services, with tier, units, region and state.
    #[command(
        long_about = "List API Management services of one or every subscription \
        (GET …/providers/Microsoft.ApiManagement/service). Read-only.",
        after_help = examples::SERVICES
    )]
    Services {
        /// Only this subscription (its GUID, or its display name).
        #[arg(long, value_name = "ID")]
        subscription: Option<String>,
    },
    /// List backup blobs: source service, tier, age, expiry.
    #[command(
        long_about = "List the blobs of every container of every storage account you can see, \
        with the catalog metadata apim-dr writes after a backup. Reads storage keys through ARM \
        listKeys (held in memory only). Read-only.",
        after_help = examples::BACKUPS
    )]
    Backups {
        /// Only this subscription (its GUID, or its display name).
        #[arg(long, value_name = "ID")]
        subscription: Option<String>,
        /// Only this storage account.
        #[arg(long, value_name = "NAME")]
        account: Option<String>,
        /// Only this container.
        #[arg(long, value_name = "NAME")]
        container: Option<String>,
    },
    /// The whole estate in one walk: subscriptions, services, storage accounts and backups.
    #[command(
        long_about = "List every subscription, APIM service, storage account and backup blob \
        you can see in one walk, every independent listing at once (within --max-in-flight), \
        with the counts, the number of requests and the wall time. Reads storage keys through \
        ARM listKeys (held in memory only). Read-only.",
        after_help = "Examples:\n  apim-dr inventory\n  apim-dr inventory -o json\n  apim-dr inventory -o jsonl   # one line per item as it is found, then a summary line"
    )]
    Inventory {
        /// Only this subscription (its GUID, or its display name).
        #[arg(long, value_name = "ID")]
        subscription: Option<String>,
    },
    /// Each service's recovery point: newest restorable backup, age, expiry, verdict.
    #[command(
        long_about = "For every APIM service you can see: its newest backup that Azure would \
        still restore (30 days from the backup's own time), its age and expiry, whether it is \
        stored off the service's region (a backup in the service's own region is lost with \
        it: ⚠ same region), and the verdict against the recovery point objective \
        (--rpo-hours, else rpo_hours in config.toml, else 24). Tiers without backup (Consumption, \
        v2) are listed as not applicable. Exit 0 when every service is within the objective, 1 \
        when one is past it or has no backup, 3 when part of the estate could not be read and a \
        verdict hangs on it. Read-only.",
        after_help = examples::RPO
    )]
    Rpo(rpo::RpoArgs),
    /// Delete expired backups (listed first; needs --yes).
    #[command(
        long_about = "List the backup blobs Azure would refuse as expired (30 days from the \
        backup's own time; blobs with apim-dr's catalog or an .apimbackup name only; an unknown \
        age is never expired), oldest first, sparing the --keep newest of each service. With \
        --yes, delete them; without it, list and exit 2. Refused in read-only mode.",
        after_help = examples::PRUNE
    )]
    Prune(prune::PruneArgs),
    /// The report of one operation: timeline, RTO, catalog, verification, manual steps.
    #[command(
        long_about = "Build the report of a journaled operation: its timeline with timestamps \
        and the pre-flight checks it started on (from the journal), the RTO from the start of \
        the command or wizard to confirmed success, the backup's catalog (read from the blob), the service read now (provisioning state, API count) and the manual steps \
        the backup does not cover. Printed, and written to reports/{ID}.md and .json in the data \
        dir. `report batch-…` prints a saved `backup --all` report; without an ID, the saved \
        reports are listed, newest first. Read-only.",
        after_help = examples::REPORT
    )]
    Report {
        /// Journal id (or a unique prefix), as `apim-dr operations` lists it, or a batch
        /// report's id (`batch-…`); without it, the saved reports are listed.
        id: Option<String>,
    },
    /// Print the az/curl commands that run a restore by hand (a paper runbook).
    #[command(
        long_about = "Print, as a commented bash script, the commands that do by hand what \
        `apim-dr restore` does: sign in, the pre-flight reads (target service, storage account, \
        blob and its catalog), the storage key into a shell variable, an ARM token, the POST \
        …/restore with its body, polling the operation URL from the 202's Location header, and \
        the final read. Secrets are shell variables ($ACCESS_KEY, $TOKEN), never values. -o json \
        gives the steps structured. Runs nothing; reads Azure only to find a --target given by \
        name.",
        after_help = examples::RUNBOOK
    )]
    Runbook(runbook::RunbookArgs),
    /// Check whether a backup or a restore would work, without changing anything.
    #[command(
        long_about = "Read the service, the storage account (through ARM: firewall, CORS, \
        Shared Key, role assignments, the container) and the blob, and apply every rule of the \
        backup/restore guide. A restore: --backup and --target (target exists and is idle, tier, \
        workspaces, api-version, identity and role, tier match, 30-day expiry from the backup's \
        own time, blob present). A backup: --service, --account, --container [--name] (the same \
        service and storage checks, and whether an existing blob would be overwritten). When this \
        machine cannot read the blob itself (a firewall that admits APIM but not you), those \
        checks warn instead. Each check: id, status ok|warn|fail, reason, fix. Exit 1 when a check \
        fails. Read-only.",
        after_help = examples::PREFLIGHT
    )]
    Preflight(PreflightArgs),
    /// Back up one service, or all classic-tier ones (--all); sets your RPO.
    #[command(
        long_about = "Count the service's APIs, products and named values through ARM, start \
        POST …/service/{name}/backup and watch it to the end; then write catalog metadata \
        (source service, tier, units, region, api-version, tool version, start and end, the \
        counts) on the blob so pre-flight can check it later and `backups` can show it. Creates \
        the container if missing. The service keeps serving traffic. With --all: every \
        Developer, Basic, Standard and Premium service you can see (filtered by --subscription, \
        --region, --tag), each to {service}/{UTC time}.apimbackup, at most --parallel at once, \
        each journaled like a single backup; Consumption and v2 services are skipped with the \
        reason. Each service's account and container may come from its tags \
        apim-dr-backup-account and apim-dr-backup-container (they win over --account and \
        --container). One summary at the end and one batch report (reports/batch-{UTC time}.md \
        and .json; `apim-dr report` lists it); exit 1 if any failed, else 3 if any is \
        unconfirmed.",
        after_help = examples::BACKUP
    )]
    Backup(backup_all::BackupArgs),
    /// Restore a backup into a service. OVERWRITES the target's configuration; needs --yes.
    #[command(
        long_about = "Run pre-flight, then start POST …/service/{name}/restore on the target and \
        watch it to the end (restores take 30-45 minutes or more). This OVERWRITES the target's \
        APIs, products, policies, users and subscriptions with the backup's; hostnames, \
        certificates, VNet, identity and diagnostics settings are not carried. Refuses to run \
        without --yes. Ctrl-C stops watching, not the restore.",
        after_help = examples::RESTORE
    )]
    Restore {
        /// The backup: ACCOUNT/CONTAINER/BLOB.
        #[arg(long, value_name = "ACCOUNT/CONTAINER/BLOB")]
        backup: String,
        /// The target service (its configuration is overwritten): its full ARM resource id, or
        /// its name when no other visible service has it.
        #[arg(long, value_name = "SERVICE")]
        target: String,
        /// Confirm that the target's configuration is overwritten.
        #[arg(long)]
        yes: bool,
        /// The backup's tier, confirmed by you, when the blob carries no catalog.
        #[arg(long, value_name = "TIER")]
        confirm_tier: Option<String>,
        /// How APIM reaches storage.
        #[command(flatten)]
        access: AccessArgs,
        /// Return once Azure accepted it; `apim-dr operations watch ID` follows it later.
        #[arg(long)]
        no_wait: bool,
    },
    /// Check that a (restored) service serves: state, gateway health, counts.
    #[command(
        long_about = "Read the service's provisioning state, call its gateway's health endpoint \
        (GET {gatewayUrl}/status-0123456789abcdef, no credential sent) and count its APIs, \
        products and named values; with --backup, compare the counts with what the backup's \
        catalog recorded. Each check: id, status ok|warn|fail, reason, fix. Every restore runs \
        the same checks at its end. Exit 0 when every check passed, 1 when one failed, 3 when \
        only warnings remain. Read-only.",
        after_help = examples::VERIFY
    )]
    Verify {
        /// The service: its full ARM resource id, or its name when no other visible service
        /// has it.
        #[arg(long, value_name = "SERVICE")]
        service: String,
        /// The backup it was restored from (ACCOUNT/CONTAINER/BLOB), to compare counts.
        #[arg(long, value_name = "ACCOUNT/CONTAINER/BLOB")]
        backup: Option<String>,
    },
    /// Fail over every service of a lost region: the plan, then (with --yes) each restore.
    #[command(
        long_about = "List every API Management service of --region and plan one restore each \
        into --to: its newest backup Azure would still restore (catalogued, under 30 days) into \
        a standby of the same tier there (each standby used once), with the restore's \
        pre-flight checklist. --plan prints it and exits 1 when any item is blocked (no \
        backup, no standby, or a failing check). --yes runs every ready item, at most \
        --parallel at once, each journaled, watched and verified like `apim-dr restore`, \
        skips the blocked ones with the reason, and saves each restore's report. Exit 0 when \
        every item was restored and verified, 1 when one failed or was blocked, 3 when one is \
        unconfirmed or its verification did not pass.",
        after_help = examples::FAILOVER
    )]
    Failover(failover::FailoverArgs),
    /// DR drill: back a service up, restore it into its standby, verify; traffic untouched.
    #[command(
        long_about = "The quarterly DR test without touching traffic: a fresh backup of \
        --service into --account/--container, its restore into the standby --to (which is \
        OVERWRITTEN; needs --yes), each journaled, watched and reported like `backup` and \
        `restore`, then the post-restore verification once more for the drill's verdict. \
        Exit 0 when the standby serves what was backed up, 1 when a step failed or a check \
        fails, 3 when a step is unconfirmed or only warnings remain. -o json prints every \
        step's events as JSON lines, then the drill's summary.",
        after_help = examples::DRILL
    )]
    Drill(drill::DrillArgs),
    /// Each region of a service and its gateway's health; switch one region's gateway off or on.
    #[command(
        long_about = "Read the service and ask each of its gateways' health endpoint \
        (/status-0123456789abcdef): every region's own gateway (gatewayRegionalUrl), whether it \
        is switched off (disableGateway), and the main host (gatewayUrl), which Azure routes \
        to the closest serving region. A Premium service with additional regions keeps serving \
        when its primary region is down; only its management plane is lost. \
        --disable-gateway/--enable-gateway REGION --yes switch one region's gateway, the \
        drill for a regional outage. Exit 0 when the main host and every enabled region \
        serve, 1 when the main host does not, 3 when a region does not.",
        after_help = examples::REGIONS
    )]
    Regions(regions::RegionsArgs),
    /// Create a standby service in a region that has none.
    #[command(
        long_about = "Create an API Management service in --region with the tier, units and \
        publisher fields of --like, a system-assigned identity and a free name (default \
        {like}-{region}), in --like's subscription and resource group unless --resource-group \
        is given. The name is checked first (checkNameAvailability); a soft-deleted service \
        holding it is reported with its purge date and purged only with --purge (it cannot be \
        undeleted afterwards). Creating a classic-tier service takes tens of minutes: each \
        state is printed until it is Succeeded. Creates a billed resource; needs --yes.",
        after_help = examples::STANDBY
    )]
    Standby {
        /// `create`.
        #[command(subcommand)]
        action: StandbyAction,
    },
    /// Point a custom host name (Azure DNS CNAME or Traffic Manager) at a restored service.
    #[command(
        long_about = "Find where --hostname is served: a CNAME record set in the Azure DNS \
        zones of the subscriptions you can see, or a Traffic Manager profile (its DNS name, or \
        the one such a CNAME points at) and its external endpoint. Show what it points at \
        before and after: --to SERVICE (full id or unique name) means that service's gateway \
        host ({name}.azure-api.net); --to-target HOST means that host, to point it back. \
        --dry-run changes nothing. Otherwise --yes is required: the DNS record set is written \
        with If-Match on the etag read, so a record changed in between is refused, not \
        overwritten; a Traffic Manager endpoint (no etags in Azure) is read again just before \
        its PATCH. Each cutover is logged in cutover.jsonl beside the journal, and the command \
        that points it back is printed. Read-only mode refuses all but --dry-run.",
        after_help = examples::CUTOVER
    )]
    Cutover(cutover::CutoverArgs),
    /// The journal: every operation started here and where it stands; `watch ID` resumes one.
    #[command(
        long_about = "Show the operation journal (in the data dir). `operations watch ID` \
        watches an unfinished operation again from its operation URL, or checks the service when \
        the process died before Azure answered."
    )]
    Operations {
        /// `watch ID`.
        #[command(subcommand)]
        action: Option<OperationsAction>,
    },
    /// Check login, token audiences, reachability and permissions.
    #[command(
        long_about = "Check the credential, tokens for ARM and storage, that ARM answers, \
        which subscriptions, services and storage accounts are visible, that storage keys can be \
        read, and that the journal and log are writable. Read-only."
    )]
    Doctor,
    /// Show every setting, its value and where it came from, and the directories used.
    #[command(
        long_about = "Show the effective configuration: every setting with its value and its \
        source (default, file, environment, flag), and the config, data, cache and log \
        directories. Secrets are shown as set or not set, never their value. Reads nothing \
        from Azure."
    )]
    Config,
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(
        long_about = "Print the completion script for SHELL on stdout, generated from the same \
        command definitions as --help. Needs no configuration and no Azure access.",
        after_help = "Examples:\n  apim-dr completions bash > ~/.local/share/bash-completion/completions/apim-dr\n  apim-dr completions zsh > \"${fpath[1]}/_apim-dr\"\n  apim-dr completions fish > ~/.config/fish/completions/apim-dr.fish\n  apim-dr completions powershell >> $PROFILE"
    )]
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff) on stdout.
    #[command(
        long_about = "Print the apim-dr(1) man page in roff on stdout, generated from the same \
        command definitions as --help. Needs no configuration and no Azure access.",
        after_help = "Example:\n  apim-dr man > ~/.local/share/man/man1/apim-dr.1 && man apim-dr"
    )]
    Man,
}
