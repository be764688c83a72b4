//! The checks on the backup blob, read through the data plane. Restore: the blob exists, its
//! age from the backup's own time, whether the blob's time and the catalog's agree, the tier
//! match, the region and the capacity. Backup: whether it would overwrite a blob. When this
//! machine cannot read the data plane, these are warnings that say why: APIM may still reach
//! the account, and the operator's own reach is not a prerequisite.

use time::OffsetDateTime;

use super::facts::{PreflightFacts, Seen};
use super::{Check, Level, bad, not_checked, ok};
use crate::domain::backup::{BackupEntry, Freshness};
use crate::domain::duration::{short, utc_stamp};
use crate::domain::operation::PostKind;
use crate::domain::region::same_region;
use crate::domain::service::ServiceSummary;
use crate::domain::sku::SkuName;

const T_BLOB: &str = "Backup blob exists";
const T_AGE: &str = "Backup age (Azure keeps backups 30 days)";
const T_TIME: &str = "Blob time matches the backup's";
const T_TIER: &str = "Pricing tier matches the backup";
const T_OVERWRITE: &str = "No backup is overwritten";

/// The blob checks, in display order.
pub(super) fn all(f: &PreflightFacts) -> Vec<Check> {
    match f.kind {
        PostKind::Backup => vec![overwrite(f)],
        PostKind::Restore => restore(f),
    }
}

fn blob_ref(f: &PreflightFacts) -> String {
    let st = &f.storage;
    format!("{}/{}/{}", st.account_name, st.container, st.blob)
}

fn unreachable_reason(why: &str) -> String {
    format!("this machine cannot read the blob ({why}); APIM reaches storage on its own")
}

const UNREACHABLE_FIX: &str = "nothing needed to proceed; to check it, run pre-flight from a network the storage firewall admits";

fn restore(f: &PreflightFacts) -> Vec<Check> {
    let target = f.service.read().map(|s| &s.summary);
    let entry = match &f.storage.blob_state {
        Seen::Read(Some(e)) => e,
        other => {
            let (blob, why) = match other {
                Seen::Read(_) if f.storage.container_exists == Seen::Read(false) => (
                    bad(
                        "blob_exists",
                        Level::Block,
                        T_BLOB,
                        "The specified container does not exist.",
                        "check the container name",
                    ),
                    "the blob was not found".to_owned(),
                ),
                Seen::Read(_) => (
                    bad(
                        "blob_exists",
                        Level::Block,
                        T_BLOB,
                        format!("The specified blob does not exist. ({})", blob_ref(f)),
                        "pick a backup `apim-dr backups` lists",
                    ),
                    "the blob was not found".to_owned(),
                ),
                Seen::Unreadable(why) => (
                    bad(
                        "blob_exists",
                        Level::Warn,
                        T_BLOB,
                        unreachable_reason(why),
                        UNREACHABLE_FIX,
                    ),
                    "this machine cannot read the blob".to_owned(),
                ),
            };
            let mut out = vec![
                blob,
                not_checked("backup_age", T_AGE, &why),
                not_checked("backup_time", T_TIME, &why),
            ];
            out.push(tier_match(None, target, f.confirmed_tier.as_ref()));
            return out;
        }
    };
    let mut out = vec![
        ok(
            "blob_exists",
            T_BLOB,
            format!("{} exists ({} bytes)", blob_ref(f), entry.size_bytes),
        ),
        age(entry, f.now),
        times(entry),
        tier_match(Some(entry), target, f.confirmed_tier.as_ref()),
    ];
    if let Some(t) = target {
        out.extend(region(entry, t));
        out.extend(capacity(entry, t));
    }
    out
}

fn age(entry: &BackupEntry, now: OffsetDateTime) -> Check {
    let fresh = "take a fresh backup of the source (`apim-dr backup`), if it still runs";
    match entry.freshness(now) {
        Freshness::Fresh { left } => ok("backup_age", T_AGE, format!("expires in {}", short(left))),
        Freshness::ExpiringSoon { left } => bad(
            "backup_age",
            Level::Warn,
            T_AGE,
            format!(
                "expires in {}: restore now or take a fresh backup",
                short(left)
            ),
            fresh,
        ),
        Freshness::Expired { ago } => bad(
            "backup_age",
            Level::Block,
            T_AGE,
            format!("Cannot restore: backup expired ({} ago)", short(ago)),
            format!("pick a backup younger than 30 days; {fresh}"),
        ),
        Freshness::Unknown => bad(
            "backup_age",
            Level::Warn,
            T_AGE,
            "storage did not report the blob's creation time and the blob carries no catalog",
            "check the backup's date before restoring: Azure refuses backups older than 30 days",
        ),
    }
}

fn times(entry: &BackupEntry) -> Check {
    match (entry.catalog.started, entry.created, entry.times_disagree()) {
        (Some(started), Some(created), Some(gap)) => bad(
            "backup_time",
            Level::Warn,
            T_TIME,
            format!(
                "the blob was created {} (by Storage) but the backup began {} (catalog): {} apart, probably a copy; its age counts from the backup's own time",
                utc_stamp(created),
                utc_stamp(started),
                short(gap.abs())
            ),
            "nothing to do: Azure counts the 30 days from the backup's own time, as this pre-flight does",
        ),
        (Some(_), Some(_), None) => ok(
            "backup_time",
            T_TIME,
            "the blob's creation time and the catalog's start time agree",
        ),
        _ => bad(
            "backup_time",
            Level::Warn,
            T_TIME,
            "the blob carries no catalog start time: its age counts from the blob's creation, later than the backup's own time if the blob was copied",
            "if this blob is a copy, check when the original backup was taken",
        ),
    }
}

fn tier_match(
    entry: Option<&BackupEntry>,
    target: Option<&ServiceSummary>,
    confirmed: Option<&SkuName>,
) -> Check {
    let Some(target) = target else {
        return not_checked("tier_match", T_TIER, "the target was not found");
    };
    let sku = &target.sku;
    let mismatch = |source: &SkuName| {
        bad(
            "tier_match",
            Level::Block,
            T_TIER,
            format!("Cannot restore: current SKU is '{sku}', backup SKU is '{source}'"),
            format!("restore into a {source} service, or scale the target to {source} first"),
        )
    };
    match (entry.and_then(|e| e.catalog.source_sku.as_ref()), confirmed) {
        (Some(source), _) | (None, Some(source)) if !source.same_tier(sku) => mismatch(source),
        (Some(_), _) => ok(
            "tier_match",
            T_TIER,
            format!("backup and target are both {sku}"),
        ),
        (None, Some(_)) => ok(
            "tier_match",
            T_TIER,
            format!("you confirmed the backup is {sku}, as the target"),
        ),
        (None, None) => bad(
            "tier_match",
            Level::Warn,
            T_TIER,
            "the backup's tier is unknown (no catalog metadata on the blob) — Azure refuses a mismatch only after the restore has started",
            format!(
                "check the source's tier and confirm it: --confirm-tier {sku} (the target's tier)"
            ),
        ),
    }
}

fn region(entry: &BackupEntry, target: &ServiceSummary) -> Option<Check> {
    let source_loc = entry.catalog.source_location.as_deref()?;
    let title = "Target is outside the backup's region";
    let same_service = entry
        .catalog
        .source_service
        .as_deref()
        .is_some_and(|s| target.id_is_ignoring_case(s) || s.eq_ignore_ascii_case(&target.name));
    if same_service {
        return Some(bad(
            "region",
            Level::Warn,
            title,
            "the target is the backup's own source service: this rolls it back, it is not a failover",
            "pick the standby service in the other region to fail over",
        ));
    }
    Some(
        if target.all_locations().any(|l| same_region(l, source_loc)) {
            bad(
                "region",
                Level::Warn,
                title,
                format!(
                    "the target runs in {source_loc}, the region the backup came from: if that region is down, this is not a failover"
                ),
                "pick a target in another region",
            )
        } else {
            ok(
                "region",
                title,
                format!("backup from {source_loc}, target in {}", target.location),
            )
        },
    )
}

fn capacity(entry: &BackupEntry, target: &ServiceSummary) -> Option<Check> {
    let source = entry.catalog.source_capacity?;
    Some(if target.capacity < source {
        bad(
            "capacity",
            Level::Warn,
            "Target capacity",
            format!(
                "the target has {} unit(s), the source had {source}: scale it out before taking traffic",
                target.capacity
            ),
            format!("scale the target to {source} unit(s)"),
        )
    } else {
        ok(
            "capacity",
            "Target capacity",
            format!("{} unit(s), source had {source}", target.capacity),
        )
    })
}

fn overwrite(f: &PreflightFacts) -> Check {
    let r = blob_ref(f);
    match &f.storage.blob_state {
        Seen::Read(None) => ok("overwrite", T_OVERWRITE, format!("{r} does not exist yet")),
        Seen::Read(Some(_)) if f.overwrite => bad(
            "overwrite",
            Level::Warn,
            T_OVERWRITE,
            format!("{r} already exists and will be overwritten (--overwrite)"),
            "leave out --overwrite to keep it",
        ),
        Seen::Read(Some(_)) => bad(
            "overwrite",
            Level::Block,
            T_OVERWRITE,
            format!("{r} already exists: the backup would overwrite it"),
            "choose another blob name (--name), or add --overwrite to replace it",
        ),
        Seen::Unreadable(why) => bad(
            "overwrite",
            Level::Warn,
            T_OVERWRITE,
            format!(
                "cannot tell whether {r} exists: this machine cannot read the data plane ({why}); APIM overwrites it if it does"
            ),
            "use a new blob name (the default name carries the time), or check from a network the firewall admits",
        ),
    }
}
