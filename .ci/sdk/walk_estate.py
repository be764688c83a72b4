"""Walks a whole estate with Microsoft's Python SDKs, one call at a time, as the Azure CLI does:
subscriptions, then per subscription its API Management services and storage accounts, per
account its key, containers and blobs (with metadata).

The peer of `apim-dr inventory` in the discovery bench (benches/discovery.rs), run with
APIM_DR_ARM_ENDPOINT and APIM_DR_ACCESS_TOKEN pointing at the emulator. Prints one JSON object:
the counts and the wall time.
"""

import json
import os
import time

from azure.core.credentials import AccessToken
from azure.core.pipeline.policies import SansIOHTTPPolicy
from azure.core.rest import HttpRequest
from azure.mgmt.apimanagement import ApiManagementClient
from azure.mgmt.storage import StorageManagementClient
from azure.storage.blob import BlobServiceClient

ENDPOINT = os.environ["APIM_DR_ARM_ENDPOINT"].rstrip("/")
TOKEN = os.environ["APIM_DR_ACCESS_TOKEN"]


class StaticCredential:
    """A token credential for the emulator's token."""

    def get_token(self, *scopes, **kwargs):
        return AccessToken(TOKEN, int(time.time()) + 3600)


class LoopbackBearer(SansIOHTTPPolicy):
    """The SDK's bearer policy refuses plain http; the emulator is on loopback http."""

    def on_request(self, request):
        request.http_request.headers["Authorization"] = "Bearer " + TOKEN


def clients(subscription):
    kw = dict(base_url=ENDPOINT, authentication_policy=LoopbackBearer())
    return (
        ApiManagementClient(StaticCredential(), subscription, **kw),
        StorageManagementClient(StaticCredential(), subscription, **kw),
    )


def subscriptions():
    # azure-mgmt-resource is not pinned here: page GET /subscriptions through the SDK pipeline
    # (`_send_request`, the generated clients' raw-request entry).
    apim, _ = clients("00000000-0000-0000-0000-000000000000")
    url = ENDPOINT + "/subscriptions?api-version=2022-12-01"
    while url:
        page = apim._send_request(HttpRequest("GET", url))
        page.raise_for_status()
        body = page.json()
        for s in body.get("value", []):
            yield s["subscriptionId"]
        url = body.get("nextLink")


def main():
    started = time.monotonic()
    counts = {"subscriptions": 0, "services": 0, "storage_accounts": 0, "backups": 0}
    for sub in subscriptions():
        counts["subscriptions"] += 1
        apim, storage = clients(sub)
        counts["services"] += sum(1 for _ in apim.api_management_service.list())
        for account in storage.storage_accounts.list():
            counts["storage_accounts"] += 1
            group = account.id.split("/")[4]
            keys = storage.storage_accounts.list_keys(group, account.name)
            blob = BlobServiceClient(
                account_url=account.primary_endpoints.blob,
                credential={"account_name": account.name, "account_key": keys.keys_property[0].value},
            )
            for container in blob.list_containers():
                listed = blob.get_container_client(container.name).list_blobs(include=["metadata"], results_per_page=5000)
                counts["backups"] += sum(1 for _ in listed)
    print(json.dumps({"counts": counts, "wall_time_s": time.monotonic() - started}))


if __name__ == "__main__":
    main()
