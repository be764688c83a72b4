//! Tests of the wire models against Azure-shaped JSON and XML.
use super::*;

#[test]
fn service_with_nulls_and_2016_names_parses() {
    let json = r#"{"id":"/subscriptions/subid/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/a",
        "name":"a","location":"West US","sku":{"name":"Premium","capacity":null},
        "properties":{"runtimeUrl":"https://a.azure-api.net","additionalLocations":null,
        "hostnameConfigurations":[{"type":"Proxy","hostName":"api.contoso.com","certificateSource":"Custom"},
        {"type":"Proxy","hostName":"a.azure-api.net","certificateSource":"BuiltIn"}]}}"#;
    let s: ServiceSummary = serde_json::from_str::<ServiceResource>(json)
        .unwrap()
        .into();
    assert_eq!(s.gateway_url().as_deref(), Some("https://a.azure-api.net"));
    assert_eq!(s.capacity, 0);
    assert_eq!(s.subscription_id, "subid");
    assert_eq!(s.resource_group, "rg1");
    assert_eq!(s.custom_hostnames(), ["api.contoso.com"]);
}

#[test]
fn backup_parameters_never_print_the_key() {
    let p = BackupRestoreParameters {
        storage_account: "st".into(),
        container_name: "c".into(),
        backup_name: "b".into(),
        access_type: Some("AccessKey".into()),
        access_key: Some("c2VjcmV0LWtleQ==".into()),
        client_id: None,
    };
    assert!(!format!("{p:?}").contains("c2VjcmV0LWtleQ=="));
    assert!(
        serde_json::to_string(&p)
            .unwrap()
            .contains("c2VjcmV0LWtleQ=="),
        "the wire body carries it"
    );
}

#[test]
fn error_with_null_details_parses() {
    let e: ErrorResponse =
        serde_json::from_str(r#"{"error":{"code":"Conflict","message":"busy","details":null}}"#)
            .unwrap();
    assert_eq!(e.error.code, "Conflict");
    assert!(e.error.details.is_empty());
}

#[test]
fn page_without_next_link_and_with_null_value() {
    let p: Page<Subscription> = serde_json::from_str(r#"{"value":null}"#).unwrap();
    assert!(p.value.is_empty() && p.next_link.is_none());
}

#[test]
fn blob_listing_xml_parses_with_metadata_and_marker() {
    let xml = r#"<?xml version="1.0" encoding="utf-8"?>
<EnumerationResults ServiceEndpoint="https://acct.blob.core.windows.net/" ContainerName="apim-backups">
  <Prefix/><Marker/><MaxResults>1</MaxResults>
  <Blobs>
<Blob><Name>prod.apimbackup</Name>
  <Properties><Creation-Time>Thu, 26 Nov 2026 13:13:24 GMT</Creation-Time>
    <Content-Length>12</Content-Length><BlobType>BlockBlob</BlobType></Properties>
  <Metadata><sourcesku>Premium</sourcesku><sourceservice>apim-prod</sourceservice></Metadata>
</Blob>
<Blob><Name>bare</Name><Properties><Content-Length>0</Content-Length></Properties></Blob>
  </Blobs>
  <NextMarker>2!opaque==</NextMarker>
</EnumerationResults>"#;
    let list: BlobList = quick_xml::de::from_str(xml).unwrap();
    assert_eq!(list.blobs.items.len(), 2);
    let b = &list.blobs.items[0];
    assert_eq!(b.properties.content_length, Some(12));
    assert_eq!(b.metadata.as_ref().unwrap()["sourcesku"], "Premium");
    assert!(list.blobs.items[1].metadata.is_none());
    assert_eq!(list.next_marker.as_deref(), Some("2!opaque=="));
}

#[test]
fn empty_blob_listing_parses() {
    let xml = r"<EnumerationResults><Blobs/><NextMarker/></EnumerationResults>";
    let list: BlobList = quick_xml::de::from_str(xml).unwrap();
    assert!(list.blobs.items.is_empty());
    assert!(list.next_marker.unwrap_or_default().is_empty());
    let xml = r"<EnumerationResults><Containers><Container><Name>a</Name></Container></Containers></EnumerationResults>";
    let list: ContainerList = quick_xml::de::from_str(xml).unwrap();
    assert_eq!(list.containers.items[0].name, "a");
}
