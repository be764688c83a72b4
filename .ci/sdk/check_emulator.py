"""Drives `apim-dr emulator` with Microsoft's own Python SDKs (azure-mgmt-apimanagement,
azure-mgmt-storage, azure-storage-blob): what they send and what they expect back must work.

Run by tests/sdk_fidelity.rs with APIM_DR_ARM_ENDPOINT and APIM_DR_ACCESS_TOKEN set.
Prints one line per check; exits non-zero on the first failure.
"""

import os
import sys
import time

from azure.core.credentials import AccessToken
from azure.core.exceptions import HttpResponseError
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.mgmt.apimanagement import ApiManagementClient
from azure.mgmt.apimanagement.models import ApiManagementServiceBackupRestoreParameters
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobServiceClient

ENDPOINT = os.environ["APIM_DR_ARM_ENDPOINT"]
TOKEN = os.environ["APIM_DR_ACCESS_TOKEN"]
PROD = "3f2c6a4e-8b1d-4c5e-9a7f-1d2e3f4a5b6c"
DR = "7b9e1c2d-3a4f-4e5d-8c6b-2a1b3c4d5e6f"


class StaticCredential:
    """A token credential for the emulator's token."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken(TOKEN, int(time.time()) + 3600)


class LoopbackBearer(SansIOHTTPPolicy):
    """The SDK's bearer policy refuses plain http; the emulator is on loopback http."""

    def on_request(self, request):
        request.http_request.headers["Authorization"] = "Bearer " + TOKEN


def check(what, ok, detail=""):
    print(("ok   " if ok else "FAIL ") + what + ("" if ok else f": {detail}"))
    if not ok:
        sys.exit(1)


def main():
    kw = dict(base_url=ENDPOINT, authentication_policy=LoopbackBearer(), polling_interval=0.2)
    apim_prod = ApiManagementClient(StaticCredential(), PROD, **kw)
    apim_dr = ApiManagementClient(StaticCredential(), DR, **kw)
    storage = StorageManagementClient(StaticCredential(), DR, **kw)

    services = list(apim_prod.api_management_service.list())
    names = sorted(s.name for s in services)
    check("ApiManagementService.list pages and parses", names == ["apim-contoso-weu", "apim-mobile-cons", "apim-partners-weu", "apim-retail-eus"], names)
    weu = apim_prod.api_management_service.get("rg-apim-prod-weu", "apim-contoso-weu")
    # The emulator serves each gateway over loopback, its Azure host name kept in the path.
    check("ApiManagementService.get: sku, capacity, location, gateway", (weu.sku.name, weu.sku.capacity, weu.location) == ("Standard", 2, "West Europe") and weu.gateway_url.endswith("/_gateway/apim-contoso-weu.azure-api.net"), weu)
    check("provisioning state", weu.provisioning_state == "Succeeded", weu.provisioning_state)
    partners = apim_prod.api_management_service.get("rg-apim-prod-weu", "apim-partners-weu")
    check("additional locations", [l.location for l in partners.additional_locations] == ["North Europe"], partners.additional_locations)
    apis = list(apim_dr.api.list_by_service("rg-apim-dr-neu", "apim-contoso-neu"))
    check("Api.list_by_service", sorted(a.name for a in apis) == ["echo-api", "orders-v1", "payments"], [a.name for a in apis])

    accounts = list(storage.storage_accounts.list())
    check("StorageAccounts.list", [a.name for a in accounts] == ["stcontosodrneu"], [a.name for a in accounts])
    account = accounts[0]
    keys = storage.storage_accounts.list_keys("rg-apim-dr-neu", account.name)
    key = keys.keys_property[0].value
    check("StorageAccounts.list_keys", len(keys.keys_property) == 2 and key, keys)

    blob = BlobServiceClient(account_url=account.primary_endpoints.blob, credential={"account_name": account.name, "account_key": key})
    containers = sorted(c.name for c in blob.list_containers(include_metadata=True))
    check("BlobService.list_containers (Shared Key)", containers == ["apim-backups", "scratch"], containers)
    container = blob.get_container_client("apim-backups")
    listed = list(container.list_blobs(include=["metadata"], results_per_page=2))
    check("ContainerClient.list_blobs pages with metadata", len(listed) >= 7 and any(b.metadata.get("sourcesku") == "Standard" for b in listed), len(listed))
    newest = max((b for b in listed if (b.metadata or {}).get("sourcesku") == "Standard"), key=lambda b: b.creation_time)
    props = container.get_blob_client(newest.name).get_blob_properties()
    check("BlobClient.get_blob_properties", props.size > 0 and props.creation_time is not None and props.metadata.get("sourcesku") == "Standard", props)
    container.get_blob_client("sdk/uploaded.txt").upload_blob(b"hello", overwrite=True, metadata={"drill": "yes"})
    check("BlobClient.upload_blob + set_blob_metadata", True)
    container.get_blob_client("sdk/uploaded.txt").set_blob_metadata({"drill": "done"})
    check("metadata replaced", container.get_blob_client("sdk/uploaded.txt").get_blob_properties().metadata == {"drill": "done"})

    params = ApiManagementServiceBackupRestoreParameters(storage_account=account.name, container_name="apim-backups", backup_name="sdk/backup.apimbackup", access_type="AccessKey", access_key=key)
    result = apim_prod.api_management_service.begin_backup("rg-apim-prod-weu", "apim-contoso-weu", params).result()
    check("begin_backup polls Location to the final service", result.name == "apim-contoso-weu", result)
    params.backup_name = "sdk/backup.apimbackup"
    restored = apim_dr.api_management_service.begin_restore("rg-apim-dr-neu", "apim-contoso-neu", params).result()
    check("begin_restore polls to the end", restored.name == "apim-contoso-neu", restored)
    apis = list(apim_dr.api.list_by_service("rg-apim-dr-neu", "apim-contoso-neu"))
    check("the restore replaced the target's APIs", len(apis) == 14, len(apis))

    premium = next(b for b in listed if (b.metadata or {}).get("sourcesku") == "Premium")
    params.backup_name = premium.name
    try:
        apim_dr.api_management_service.begin_restore("rg-apim-dr-neu", "apim-contoso-neu", params).result()
        check("a tier mismatch fails", False, "no error")
    except Exception as e:  # the SDK raises HttpResponseError with Azure's words
        message = str(e)
        check("a tier mismatch fails in Azure's words", "Cannot restore: current SKU is 'Standard', backup SKU is 'Premium'" in message, message)

    # A restore into a v2 tier is accepted and fails while polling, as Azure does.
    params.backup_name = "sdk/backup.apimbackup"
    poller = apim_dr.api_management_service.begin_restore("rg-apim-dr-neu", "apim-edge-v2-neu", params)
    check("a restore into StandardV2 is accepted (202)", poller.status() != "Failed", poller.status())
    try:
        poller.result()
        check("a restore into StandardV2 fails", False, "no error")
    except HttpResponseError as e:
        check("a restore into StandardV2 fails while polling in Azure's words",
              e.error is not None and e.error.code == "RestoreFailed"
              and e.error.message == "Cannot restore: current SKU is 'StandardV2', backup SKU is 'Standard'", e)

    # Consumption at the SDK's own api-version: the refusal names the tier.
    params.backup_name = "sdk/consumption.apimbackup"
    try:
        apim_prod.api_management_service.begin_backup("rg-apim-prod-weu", "apim-mobile-cons", params)
        check("a Consumption backup is refused", False, "no error")
    except HttpResponseError as e:
        check("a Consumption backup is refused on the POST, naming the tier",
              e.status_code == 400 and e.error is not None and e.error.code == "MethodNotAllowedInPricingTier"
              and e.error.message == "Method not allowed in Consumption pricing tier", e)


if __name__ == "__main__":
    main()
