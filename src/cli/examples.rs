//! The examples `--help` shows, written so that clap's wrapping cannot break them: every line
//! fits in 60 columns or is a single word (clap never splits a line's first word), and long
//! ids go through shell variables. `tests/cli_help.rs` renders each at several widths and
//! checks that every line comes out as written, so each can be pasted into a shell.

/// `apim-dr emulator --help`.
pub const EMULATOR: &str = "\
Examples:
  apim-dr emulator --port 0 --print-env > emulator.env &
  sleep 1; . ./emulator.env   # then, in the same shell:
  apim-dr services
  apim-dr emulator --world gen:subs=20,services=50
  apim-dr emulator --faults 'throttle:2@services*3'";

/// `apim-dr services --help`.
pub const SERVICES: &str = "\
Examples:
  apim-dr services
  apim-dr services -o json \\
    --subscription 3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";

/// `apim-dr backups --help`.
pub const BACKUPS: &str = "\
Examples:
  apim-dr backups
  apim-dr backups -o json \\
    --account stcontosodrneu --container apim-backups";

/// `apim-dr preflight --help`.
pub const PREFLIGHT: &str = "\
Examples:
  BACKUP=stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup
  TARGET=/subscriptions/7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f/resourceGroups/rg-apim-dr-neu/providers/Microsoft.ApiManagement/service/apim-contoso-neu
  apim-dr preflight --backup \"$BACKUP\" --target \"$TARGET\"
  SERVICE=/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-apim-prod-weu/providers/Microsoft.ApiManagement/service/apim-contoso-weu
  apim-dr preflight --service \"$SERVICE\" -o json \\
    --account stcontosodrneu --container apim-backups";

/// `apim-dr backup --help`.
pub const BACKUP: &str = "\
Examples:
  SERVICE=/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-apim-prod-weu/providers/Microsoft.ApiManagement/service/apim-contoso-weu
  apim-dr backup --service \"$SERVICE\" \\
    --account stcontosodrneu --container apim-backups
  apim-dr backup --service \"$SERVICE\" --no-wait -o json \\
    --account stcontosodrneu --container apim-backups \\
    --name nightly.apimbackup
  apim-dr backup --all --region westeurope --tag env=prod \\
    --account stcontosodrneu --container apim-backups \\
    --parallel 4 -o json";

/// `apim-dr restore --help`.
pub const RESTORE: &str = "\
Example:
  BACKUP=stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup
  TARGET=/subscriptions/7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f/resourceGroups/rg-apim-dr-neu/providers/Microsoft.ApiManagement/service/apim-contoso-neu
  apim-dr restore --yes \\
    --backup \"$BACKUP\" --target \"$TARGET\"";

/// `apim-dr rpo --help`.
pub const RPO: &str = "\
Examples:
  apim-dr rpo
  apim-dr rpo --rpo-hours 6 -o json
  apim-dr rpo -o jsonl || echo 'a service is past its RPO'";

/// `apim-dr prune --help`.
pub const PRUNE: &str = "\
Examples:
  apim-dr prune --expired
  apim-dr prune --expired --keep 3 --yes
  apim-dr prune --expired --account stcontosodrneu -o json";

/// `apim-dr report --help`.
pub const REPORT: &str = "\
Examples:
  apim-dr operations
  apim-dr report 20261126T120309Z-4f2a
  apim-dr report 20261126T1203 -o json
  apim-dr report
  apim-dr report batch-20261126T0200Z";
/// `apim-dr verify --help`.
pub const VERIFY: &str = "\
Examples:
  TARGET=/subscriptions/7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f/resourceGroups/rg-apim-dr-neu/providers/Microsoft.ApiManagement/service/apim-contoso-neu
  apim-dr verify --service \"$TARGET\"
  BACKUP=stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup
  apim-dr verify -o json \\
    --service \"$TARGET\" --backup \"$BACKUP\"";

/// `apim-dr standby --help`.
pub const STANDBY: &str = "\
Examples:
  LIKE=/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c/resourceGroups/rg-apim-prod-weu/providers/Microsoft.ApiManagement/service/apim-contoso-weu
  apim-dr standby create --like \"$LIKE\" \\
    --region northeurope --yes
  apim-dr standby create --like \"$LIKE\" \\
    --region northeurope --name apim-contoso-dr \\
    --purge --yes";

/// `apim-dr failover --help`.
pub const FAILOVER: &str = "\
Examples:
  apim-dr failover --plan \\
    --region westeurope --to northeurope
  apim-dr failover --plan -o json \\
    --region westeurope --to northeurope
  apim-dr failover --yes --parallel 4 \\
    --region westeurope --to northeurope";

/// `apim-dr drill --help`.
pub const DRILL: &str = "\
Examples:
  apim-dr drill --service apim-contoso-weu \\
    --to apim-contoso-neu \\
    --account stcontosodrneu \\
    --container apim-drills --yes
  apim-dr drill -o json --yes \\
    --service apim-contoso-weu \\
    --to apim-contoso-neu \\
    --account stcontosodrneu \\
    --container apim-drills";

/// `apim-dr regions --help`.
pub const REGIONS: &str = "\
Examples:
  apim-dr regions --service apim-partners-weu
  apim-dr regions --service apim-partners-weu \\
    --disable-gateway northeurope --yes
  apim-dr regions --service apim-partners-weu \\
    --enable-gateway northeurope --yes";

/// `apim-dr cutover --help`.
pub const CUTOVER: &str = "\
Examples:
  apim-dr cutover --hostname api.contoso.com \\
    --to apim-contoso-neu --dry-run
  apim-dr cutover --hostname api.contoso.com \\
    --to apim-contoso-neu --yes
  apim-dr cutover --hostname api.contoso.com \\
    --to-target apim-contoso-weu.azure-api.net --yes
  apim-dr cutover -o json --yes \\
    --hostname contoso-api.trafficmanager.net \\
    --to apim-contoso-neu --endpoint weu";

/// `apim-dr runbook --help`.
pub const RUNBOOK: &str = "\
Examples:
  BACKUP=stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup
  apim-dr runbook --backup \"$BACKUP\" \\
    --target apim-contoso-neu > restore-runbook.sh
  apim-dr runbook --backup \"$BACKUP\" -o json \\
    --target apim-contoso-neu \\
    --access-type system-assigned-managed-identity";

/// Every example, with the subcommand that shows it.
pub const ALL: [(&str, &str); 16] = [
    ("emulator", EMULATOR),
    ("services", SERVICES),
    ("backups", BACKUPS),
    ("preflight", PREFLIGHT),
    ("backup", BACKUP),
    ("restore", RESTORE),
    ("rpo", RPO),
    ("prune", PRUNE),
    ("report", REPORT),
    ("verify", VERIFY),
    ("standby", STANDBY),
    ("failover", FAILOVER),
    ("drill", DRILL),
    ("regions", REGIONS),
    ("cutover", CUTOVER),
    ("runbook", RUNBOOK),
];
