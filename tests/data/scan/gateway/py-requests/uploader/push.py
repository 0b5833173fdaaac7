import json
import requests

HUB_API = "https://contoso-plant.azure-devices.net/devices/gw-4/messages/events?api-version=2021-04-12"


def push(batch, sas_token):
    r = requests.post(
        HUB_API,
        data=json.dumps(batch),
        headers={"Authorization": sas_token, "Content-Type": "application/json"},
        verify="/etc/uploader/hub.pem",
        timeout=15,
    )
    r.raise_for_status()
