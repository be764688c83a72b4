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

#[test]
fn dns_and_traffic_manager_paths() {
    let rg = format!("{SUB}/resourceGroups/rg-dns/providers/Microsoft.Network");
    assert!(matches!(
        parse(&format!("{SUB}/providers/Microsoft.Network/dnszones")),
        Route::DnsZones { rg: None, .. }
    ));
    let cname = parse(&format!("{rg}/dnsZones/contoso.com/CNAME/api"));
    assert!(
        matches!(&cname, Route::DnsZone { zone, part: DnsPart::Cname(n), .. } if zone == "contoso.com" && n == "api")
    );
    assert_eq!(cname.provider(), Some(ResourceProvider::Dns));
    assert!(cname.allows(&Method::PUT) && !cname.allows(&Method::DELETE));
    for list in ["recordsets", "CNAME"] {
        assert!(matches!(
            parse(&format!("{rg}/dnszones/contoso.com/{list}")),
            Route::DnsZone {
                part: DnsPart::RecordSets,
                ..
            }
        ));
    }
    let ep = parse(&format!(
        "{rg}/trafficmanagerprofiles/tm/externalEndpoints/weu"
    ));
    assert!(
        matches!(&ep, Route::TmProfile { part: TmPart::Endpoint(k, n), .. } if k == "externalEndpoints" && n == "weu")
    );
    assert_eq!(ep.provider(), Some(ResourceProvider::TrafficManager));
    assert!(ep.allows(&Method::PATCH));
    let azure = parse(&format!(
        "{rg}/trafficmanagerprofiles/tm/azureEndpoints/weu"
    ));
    assert!(azure.allows(&Method::GET) && !azure.allows(&Method::PATCH));
    assert!(matches!(
        parse(&format!("{rg}/virtualNetworks/vnet")),
        Route::UnknownType { .. }
    ));
}
