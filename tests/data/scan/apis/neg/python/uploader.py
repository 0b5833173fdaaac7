"""Uploads device logs with the system's CA bundle."""
import ssl

import certifi
import requests

HUB = "https://contoso-hub.azure-devices.net"


def context():
    return ssl.create_default_context(cafile=certifi.where())


def upload(path):
    with open(path, "rb") as f:
        return requests.post(HUB + "/logs", data=f, verify="/etc/ssl/certs/ca-certificates.crt", timeout=30)
