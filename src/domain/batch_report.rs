//! The report of one batch (`backup --all`, `failover --yes`): when it ran, what it selected,
//! how each service ended and why, as Markdown and JSON in the reports dir
//! (`reports/batch-{yyyyMMddTHHmmssZ}`). Also
//! where each service's scheduled backup goes: the account and container from its tags
//! ([`ACCOUNT_TAG`], [`CONTAINER_TAG`]) or the flags. Pure.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;
use time::OffsetDateTime;

use super::duration::{short, utc_seconds, utc_stamp};
use super::operation::Outcome;

/// A service tag naming the storage account its scheduled backups go to (wins over
/// `--account`).
pub const ACCOUNT_TAG: &str = "apim-dr-backup-account";
/// A service tag naming the container its scheduled backups go to (wins over `--container`).
pub const CONTAINER_TAG: &str = "apim-dr-backup-container";

/// The value of tag `key` (Azure's tag names compare case-insensitively).
fn tag<'a>(tags: &'a BTreeMap<String, String>, key: &str) -> Option<&'a str> {
    tags.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(key))
        .map(|(_, v)| v.as_str())
}

/// Where a service's scheduled backup goes: its tags first, else the flags; the reason when
/// neither names an account or a container.
///
/// # Errors
/// What is missing and how to give it.
pub fn backup_place(
    tags: &BTreeMap<String, String>,
    account: Option<&str>,
    container: Option<&str>,
) -> Result<(String, String), String> {
    let a = tag(tags, ACCOUNT_TAG).or(account);
    let c = tag(tags, CONTAINER_TAG).or(container);
    match (a, c) {
        (Some(a), Some(c)) => Ok((a.to_owned(), c.to_owned())),
        (None, _) => Err(format!(
            "no storage account: give --account or tag the service {ACCOUNT_TAG}=NAME"
        )),
        (_, None) => Err(format!(
            "no container: give --container or tag the service {CONTAINER_TAG}=NAME"
        )),
    }
}

/// How one item of a batch (`backup --all`, `failover --yes`) ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Azure reported success.
    Succeeded,
    /// Refused before the POST, or Azure reported failure or cancellation.
    Failed,
    /// Started; its outcome could not be confirmed.
    Unconfirmed,
    /// Not run: its tier has no backup, or its plan is blocked.
    Skipped,
    /// Not run because nothing needs it (a Premium service still serving from another
    /// region needs no restore for traffic).
    NotNeeded,
}

impl ItemStatus {
    /// How an item whose operation ended with `outcome` stands, and why when it did not
    /// succeed.
    pub fn of(outcome: &Outcome) -> (Self, Option<String>) {
        match outcome {
            Outcome::Succeeded => (Self::Succeeded, None),
            Outcome::Failed(e) => (Self::Failed, Some(e.to_string())),
            Outcome::Canceled => (Self::Failed, Some("Azure canceled it".to_owned())),
            Outcome::Unconfirmed { reason } => (Self::Unconfirmed, Some(reason.clone())),
        }
    }

    /// The word in text output (`succeeded`, `failed`, …).
    pub fn word(self) -> &'static str {
        match self {
            Self::Succeeded => "succeeded",
            Self::Failed => "failed",
            Self::Unconfirmed => "unconfirmed",
            Self::Skipped => "skipped",
            Self::NotNeeded => "not needed",
        }
    }
}

/// One service in `backup --all -o json`, `failover --yes -o json` and the batch report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    /// Service name.
    pub service: String,
    /// Its ARM id.
    pub service_id: String,
    /// Its tier.
    pub tier: String,
    /// How it ended.
    pub status: ItemStatus,
    /// `ACCOUNT/CONTAINER/BLOB`, when one was attempted.
    pub backup: Option<String>,
    /// The journal id, when it was journaled (`apim-dr report ID` has its own report).
    pub operation_id: Option<String>,
    /// Why it failed, is unconfirmed or was skipped.
    pub reason: Option<String>,
    /// The standby restored into (`failover --yes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Whether post-restore verification passed (`failover --yes`; absent when it did not
    /// run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verified: Option<bool>,
}

/// The report of one batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BatchReport {
    /// What ran: `backup --all`, `failover westeurope → northeurope`.
    pub title: String,
    /// `batch-{yyyyMMddTHHmmssZ}` of its start: the file name, and what `report` takes.
    pub id: String,
    /// When it started.
    #[serde(with = "time::serde::rfc3339")]
    pub started: OffsetDateTime,
    /// When it ended.
    #[serde(with = "time::serde::rfc3339")]
    pub ended: OffsetDateTime,
    /// The filters it ran with, as given (`--subscription`, `--region`, `--tag`).
    pub filters: Vec<String>,
    /// Parts of the estate that could not be listed (their services were not backed up).
    pub listing_failures: Vec<String>,
    /// Every service selected, by name.
    pub items: Vec<Item>,
}

impl BatchReport {
    /// The id of a batch started at `started`.
    pub fn id_for(started: OffsetDateTime) -> String {
        format!("batch-{}", utc_stamp(started))
    }

    /// How many items ended as `status`.
    pub fn count(&self, status: ItemStatus) -> usize {
        self.items.iter().filter(|i| i.status == status).count()
    }

    /// The report in Markdown.
    pub fn markdown(&self) -> String {
        let mut md = format!(
            "# {} report {}\n\n- started: {}\n- ended: {} (took {})\n- filters: {}\n- {} succeeded, {} failed, {} unconfirmed, {} skipped{}\n",
            self.title,
            self.id,
            utc_seconds(self.started),
            utc_seconds(self.ended),
            short(self.ended - self.started),
            if self.filters.is_empty() {
                "none".to_owned()
            } else {
                self.filters.join(", ")
            },
            self.count(ItemStatus::Succeeded),
            self.count(ItemStatus::Failed),
            self.count(ItemStatus::Unconfirmed),
            self.count(ItemStatus::Skipped),
            match self.count(ItemStatus::NotNeeded) {
                0 => String::new(),
                n => format!(", {n} need none"),
            },
        );
        for f in &self.listing_failures {
            let _ = writeln!(md, "- not listed (its services were not backed up): {f}");
        }
        let restores = self.items.iter().any(|i| i.target.is_some());
        md.push_str(if restores {
            "\n## Services\n\n| service | tier | result | into | verified | backup | operation | why |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        } else {
            "\n## Services\n\n| service | tier | result | backup | operation | why |\n| --- | --- | --- | --- | --- | --- |\n"
        });
        for i in &self.items {
            let restore = if restores {
                let verified = match i.verified {
                    Some(true) => "✔",
                    Some(false) => "✖",
                    None => "",
                };
                format!(" {} | {verified} |", i.target.as_deref().unwrap_or(""))
            } else {
                String::new()
            };
            let _ = writeln!(
                md,
                "| {} | {} | {} |{restore} {} | {} | {} |",
                i.service,
                i.tier,
                i.status.word(),
                i.backup.as_deref().unwrap_or(""),
                i.operation_id.as_deref().unwrap_or(""),
                i.reason.as_deref().unwrap_or("").replace('|', "\\|"),
            );
        }
        md
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn tags_win_over_flags_and_a_missing_place_says_how_to_give_it() {
        let mut tags = BTreeMap::new();
        assert_eq!(
            backup_place(&tags, Some("stflag"), Some("flagged")),
            Ok(("stflag".into(), "flagged".into()))
        );
        tags.insert("APIM-DR-Backup-Account".to_owned(), "sttag".to_owned());
        assert_eq!(
            backup_place(&tags, Some("stflag"), Some("flagged")),
            Ok(("sttag".into(), "flagged".into())),
            "tag names compare case-insensitively"
        );
        assert!(
            backup_place(&tags, None, None)
                .unwrap_err()
                .contains(CONTAINER_TAG)
        );
        assert!(
            backup_place(&BTreeMap::new(), None, Some("c"))
                .unwrap_err()
                .contains("--account")
        );
    }

    #[test]
    fn the_markdown_lists_every_service_and_the_counts() {
        let item = |name: &str, status, reason: Option<&str>| Item {
            service: name.into(),
            service_id: format!("/x/{name}"),
            tier: "Standard".into(),
            status,
            backup: None,
            operation_id: None,
            reason: reason.map(Into::into),
            target: None,
            verified: None,
        };
        let r = BatchReport {
            title: "backup --all".into(),
            id: BatchReport::id_for(datetime!(2026-12-03 02:00 UTC)),
            started: datetime!(2026-12-03 02:00 UTC),
            ended: datetime!(2026-12-03 02:09:30 UTC),
            filters: vec!["--tag env=prod".into()],
            listing_failures: Vec::new(),
            items: vec![
                item("apim-a", ItemStatus::Succeeded, None),
                item("apim-v2", ItemStatus::Skipped, Some("v2 | no backup")),
            ],
        };
        assert_eq!(r.id, "batch-20261203T020000Z");
        let md = r.markdown();
        assert!(
            md.contains("# backup --all report batch-20261203T020000Z"),
            "{md}"
        );
        assert!(
            md.contains("- 1 succeeded, 0 failed, 0 unconfirmed, 1 skipped\n"),
            "{md}"
        );
        assert!(md.contains("took 9m 30s"), "{md}");
        assert!(
            md.contains("| apim-v2 | Standard | skipped |  |  | v2 \\| no backup |"),
            "{md}"
        );
    }
}
