//! Tests of `emulator::arm::route`.
use super::*;

const SUB: &str = "/subscriptions/3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c";

#[test]
fn paths_match_case_insensitively_and_keep_names() {
    let r = parse(&format!(
        "{SUB}/RESOURCEGROUPS/rg-A/providers/microsoft.apimanagement/SERVICE/Apim-X/Backup"
    ));
    assert_eq!(
        r,
        Route::Service {
            sub: "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c".into(),
            rg: "rg-A".into(),
            name: "Apim-X".into(),
            part: ServicePart::Backup,
        }
    );
    assert!(r.allows(&Method::POST) && !r.allows(&Method::GET));
    assert_eq!(r.fault_target(), Some(FaultTarget::Backup));
    assert_eq!(
        parse(&format!("{SUB}/providers/Microsoft.ApiManagement/service")),
        Route::Services {
            sub: "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c".into(),
            rg: None
        }
    );
}

#[test]
fn odd_paths_do_not_panic() {
    for p in [
        "",
        "/",
        "//",
        "/subscriptions//",
        "/%ff%fe",
        "/a/b/c/d/e/f/g/h/i/j",
    ] {
        let _ = parse(p);
    }
    assert_eq!(parse("//subscriptions"), Route::Subscriptions);
    assert!(matches!(
        parse(&format!(
            "{SUB}/providers/Microsoft.Compute/virtualMachines"
        )),
        Route::UnknownNamespace { .. }
    ));
    assert!(matches!(
        parse(&format!(
            "{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st/listKeys"
        )),
        Route::StorageAccount {
            part: StoragePart::Action(_),
            ..
        }
    ));
    let account = format!("{SUB}/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/st");
    assert!(matches!(
        parse(&format!("{account}/BLOBSERVICES/default")),
        Route::StorageAccount { part: StoragePart::BlobService(n), .. } if n == "default"
    ));
    assert!(matches!(
        parse(&format!("{account}/blobServices/default/containers/c1")),
        Route::StorageAccount { part: StoragePart::Container(_, c), .. } if c == "c1"
    ));
    assert_eq!(
        parse(&format!(
            "{account}/providers/Microsoft.Authorization/roleAssignments"
        )),
        Route::RoleAssignments {
            sub: "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c".into(),
            scope: account.clone(),
        }
    );
    assert!(matches!(
        parse(&format!(
            "{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/gateways/gw/configConnections"
        )),
        Route::Gateway {
            part: GatewayPart::ConfigConnections,
            ..
        }
    ));
    assert!(matches!(
        parse(&format!(
            "{SUB}/resourceGroups/rg/providers/Microsoft.ApiManagement/service/s/workspaces"
        )),
        Route::Service {
            part: ServicePart::Workspaces,
            ..
        }
    ));
    assert_eq!(parse("/_emulator/state").fault_target(), None);
}
