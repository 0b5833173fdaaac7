"""Uploads device logs to the hub's REST endpoint."""
import ssl
import urllib.request

import requests

HUB = "https://contoso-hub.azure-devices.net"


def context():
    ctx = ssl.create_default_context(cafile="certs/azure_ica03.pem")
    return ctx


def upload(path):
    with open(path, "rb") as f:
        return requests.post(HUB + "/logs", data=f, verify="certs/azure_ica03.pem", timeout=30)
