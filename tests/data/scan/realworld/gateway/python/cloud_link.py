import json
import ssl
import socket

import requests

HUB = "fleet-hub.azure-devices.net"


def open_mqtt_socket():
    ctx = ssl.create_default_context(cafile="certs/baltimore.pem")
    raw = socket.create_connection((HUB, 8883))
    return ctx.wrap_socket(raw, server_hostname=HUB)


def push_twin(device_id, twin):
    r = requests.patch(
        f"https://{HUB}/twins/{device_id}?api-version=2021-04-12",
        data=json.dumps(twin),
        verify="/etc/ssl/one-root.pem",
        timeout=10,
    )
    r.raise_for_status()
