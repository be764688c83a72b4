use super::*;
use crate::domain::names::{BackupRef, ServiceId};

const TARGET: &str = "/subscriptions/7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f/resourceGroups/rg-apim-dr-neu/providers/Microsoft.ApiManagement/service/apim-contoso-neu";

fn plan(access: AccessType) -> RestorePlan {
    RestorePlan {
        backup: BackupRef::parse(
            "stcontosodrneu/apim-backups/apim-contoso-weu/20261126T0600Z.apimbackup",
        )
        .unwrap(),
        target: ServiceId::parse(TARGET).unwrap(),
        access,
        began: None,
    }
}

fn ids(r: &Runbook) -> Vec<&str> {
    r.steps.iter().map(|s| s.id).collect()
}

#[test]
fn access_key_runbook_reads_then_posts_then_polls_then_verifies() {
    let r = Runbook::restore(
        &plan(AccessType::AccessKey),
        "https://management.azure.com/",
        "2024-05-01",
    );
    assert_eq!(
        ids(&r),
        [
            "sign_in", "target", "storage", "blob", "key", "token", "post", "poll", "verify"
        ]
    );
    let post = &r.steps[6].commands;
    assert!(post.contains(&format!(
        "'https://management.azure.com{TARGET}/restore?api-version=2024-05-01'"
    )));
    // The key is a shell variable spliced into the body, never a value.
    assert!(post.contains(
        r#"BODY='{"storageAccount":"stcontosodrneu","containerName":"apim-backups","backupName":"apim-contoso-weu/20261126T0600Z.apimbackup","accessType":"AccessKey","accessKey":"'"$ACCESS_KEY"'"}'"#
    ), "{post}");
    assert!(
        r.steps[4].commands.starts_with(
            "ACCESS_KEY=$(az storage account keys list --account-name 'stcontosodrneu'"
        )
    );
    assert!(
        r.steps[5]
            .commands
            .contains("--resource 'https://management.azure.com/'")
    );
}

#[test]
fn managed_identity_runbook_has_no_key_step_and_names_the_client_id() {
    let r = Runbook::restore(
        &plan(AccessType::UserAssignedManagedIdentity {
            client_id: "c0ffee".into(),
        }),
        "https://management.azure.com",
        "2024-05-01",
    );
    assert!(!ids(&r).contains(&"key"));
    let post = &r.steps.iter().find(|s| s.id == "post").unwrap().commands;
    assert!(
        post.contains(r#""accessType":"UserAssignedManagedIdentity","clientId":"c0ffee"}'"#),
        "{post}"
    );
    assert!(!r.shell().contains("accessKey"));
}

#[test]
fn the_script_comments_every_step_and_quotes_hostile_names() {
    assert_eq!(sh_quote("it's"), r"'it'\''s'");
    let s = Runbook::restore(
        &plan(AccessType::AccessKey),
        "http://127.0.0.1:4000",
        "2024-05-01",
    )
    .shell();
    assert!(s.starts_with("#!/usr/bin/env bash\n"));
    for (i, title) in [
        "Sign in",
        "Pre-flight: read the target",
        "Poll the operation URL",
    ]
    .iter()
    .enumerate()
    {
        assert!(s.contains(title), "step {i} {title}");
    }
    assert!(s.lines().filter(|l| l.starts_with("# ")).count() >= 9);
    // No step comment runs past 100 columns.
    assert!(
        s.lines()
            .filter(|l| l.starts_with("#    "))
            .all(|l| l.chars().count() <= 100)
    );
}
