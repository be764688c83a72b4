//! The flags and subcommands that `Command`'s variants hold: `preflight`'s options,
//! `standby` and `operations` subcommands, and how APIM reaches storage (`--access-type`).

use clap::{Args, Subcommand, ValueEnum};

use super::examples;

/// `preflight` options: a restore's (`--backup`, `--target`) or a backup's (`--service`,
/// `--account`, `--container`, `--name`).
#[derive(Debug, Clone, Args)]
pub struct PreflightArgs {
    /// Restore: the backup, ACCOUNT/CONTAINER/BLOB.
    #[arg(long, value_name = "ACCOUNT/CONTAINER/BLOB", requires = "target")]
    pub backup: Option<String>,
    /// Restore: the target service's full ARM resource id, or its unique name.
    #[arg(long, value_name = "SERVICE", requires = "backup")]
    pub target: Option<String>,
    /// Backup: the service's full ARM resource id, or its unique name.
    #[arg(long, value_name = "SERVICE", conflicts_with_all = ["backup", "target"])]
    pub service: Option<String>,
    /// Backup: the storage account name.
    #[arg(long, value_name = "NAME")]
    pub account: Option<String>,
    /// Backup: the container.
    #[arg(long, value_name = "NAME")]
    pub container: Option<String>,
    /// Backup: the blob name (default: {service}/{UTC time}.apimbackup).
    #[arg(long, value_name = "BLOB")]
    pub name: Option<String>,
    /// Backup: an existing blob may be replaced.
    #[arg(long)]
    pub overwrite: bool,
    /// Restore: the backup's tier, confirmed by you, when the blob carries no catalog.
    #[arg(long, value_name = "TIER")]
    pub confirm_tier: Option<String>,
    /// How APIM would reach storage.
    #[command(flatten)]
    pub access: AccessArgs,
}

/// `standby` subcommands.
#[derive(Debug, Subcommand)]
pub enum StandbyAction {
    /// Create a standby like another service.
    #[command(
        long_about = "Create an API Management service in --region with the tier, units and \
        publisher fields of --like, a system-assigned identity and a free name. Needs --yes.",
        after_help = examples::STANDBY
    )]
    Create {
        /// The service to copy (tier, units, publisher fields): its full ARM resource id, or
        /// its name when no other visible service has it.
        #[arg(long, value_name = "SERVICE")]
        like: String,
        /// The region of the new service (short or display name).
        #[arg(long, value_name = "NAME")]
        region: String,
        /// The new service's name (default {like}-{region}).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
        /// Its resource group (default: --like's).
        #[arg(long, value_name = "NAME")]
        resource_group: Option<String>,
        /// Purge a soft-deleted service that holds the name (for good).
        #[arg(long)]
        purge: bool,
        /// Confirm creating a billed service.
        #[arg(long)]
        yes: bool,
    },
}

/// `operations watch ID`.
#[derive(Debug, Subcommand)]
pub enum OperationsAction {
    /// Watch an unfinished operation to its end.
    #[command(
        long_about = "Watch an unfinished operation to its end, from its operation URL, or by \
        checking the service when the process died before Azure answered. It is watched through \
        the ARM endpoint it was started against: --arm-endpoint is only needed when that is not \
        the configured one (the error says which)."
    )]
    Watch {
        /// The operation id (from `apim-dr operations`).
        id: String,
    },
}

/// `--access-type` and `--client-id`.
#[derive(Debug, Clone, Args)]
pub struct AccessArgs {
    /// How APIM reaches the storage account.
    #[arg(long, value_enum, default_value_t = AccessTypeArg::AccessKey)]
    pub access_type: AccessTypeArg,
    /// Client id of the user-assigned identity (with --access-type user-assigned-managed-identity).
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
}

/// `--access-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AccessTypeArg {
    /// The storage account key, read through ARM listKeys.
    AccessKey,
    /// The service's system-assigned managed identity.
    SystemAssignedManagedIdentity,
    /// A user-assigned managed identity (needs --client-id).
    UserAssignedManagedIdentity,
}
