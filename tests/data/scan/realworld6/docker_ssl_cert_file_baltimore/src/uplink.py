import json
import os
import ssl
import urllib.request

HUB = os.environ["IOTHUB_HOST"]
DEVICE = os.environ["IOTHUB_DEVICE_ID"]


def send(reading: dict) -> int:
    ctx = ssl.create_default_context()
    req = urllib.request.Request(
        f"https://{HUB}/devices/{DEVICE}/messages/events?api-version=2021-04-12",
        data=json.dumps(reading).encode(),
        headers={"Authorization": os.environ["IOTHUB_SAS"], "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(req, context=ctx, timeout=30) as resp:
        return resp.status
