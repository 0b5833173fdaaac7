import ssl
import logging

import paho.mqtt.client as mqtt

from gwagent import settings

log = logging.getLogger(__name__)


def make_client():
    client = mqtt.Client(client_id=settings.DEVICE_ID, protocol=mqtt.MQTTv311)
    client.username_pw_set(f"{settings.HUB_HOST}/{settings.DEVICE_ID}/?api-version={settings.API_VERSION}")
    client.tls_set(ca_certs=settings.CA_PATH, certfile=settings.CERT_PATH, keyfile=settings.KEY_PATH,
                   cert_reqs=ssl.CERT_REQUIRED, tls_version=ssl.PROTOCOL_TLSv1_2)
    client.on_connect = lambda c, u, f, rc: log.info("connected rc=%s", rc)
    return client


def run():
    client = make_client()
    client.connect(settings.HUB_HOST, settings.HUB_PORT, keepalive=60)
    client.loop_forever()
