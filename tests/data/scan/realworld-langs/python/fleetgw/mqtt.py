"""MQTT uplink (paho) and the legacy raw-socket path."""
import hashlib
import socket
import ssl

import paho.mqtt.client as mqtt

from .constants import CERT_DIR, HUB_HOST, HUB_PORT, HUB_ROOT_SHA256, ROOT_CA_FILE


def make_client(device_id, password):
    client = mqtt.Client(client_id=device_id, protocol=mqtt.MQTTv311)
    client.username_pw_set(f"{HUB_HOST}/{device_id}/?api-version=2021-04-12", password)
    client.tls_set(ca_certs="fleetgw/certs/azure-ica03.pem", tls_version=ssl.PROTOCOL_TLSv1_2)
    return client


def legacy_socket():
    ctx = ssl.create_default_context(cafile=ROOT_CA_FILE)
    sock = ctx.wrap_socket(socket.create_connection((HUB_HOST, HUB_PORT)), server_hostname=HUB_HOST)
    der = sock.getpeercert(binary_form=True)
    if hashlib.sha256(der).hexdigest().upper() != HUB_ROOT_SHA256:
        sock.close()
        raise ssl.SSLError("hub certificate does not match the pinned root")
    return sock
