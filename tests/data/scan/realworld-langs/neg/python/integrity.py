"""Firmware image integrity and the cloud session (trusts a bundle of roots)."""
import hashlib
import ssl

import requests

FIRMWARE_SHA256 = "5c2f8e3a9b1d47e06f3a2c8b9d0e1f4a7b6c5d8e9f0a1b2c3d4e5f60718293a4"
CA_ROOTS = "neg/python/azure-roots.pem"


def check_image(path):
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    if digest != FIRMWARE_SHA256:
        raise ValueError(f"image digest mismatch: {digest}")


def session():
    s = requests.Session()
    s.verify = CA_ROOTS
    return s


def context():
    return ssl.create_default_context(cafile="azure-roots.pem")
