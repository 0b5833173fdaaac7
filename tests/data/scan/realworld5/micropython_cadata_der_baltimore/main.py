import network
import time
import ssl
from umqtt.simple import MQTTClient

import config

CA_FILE = "certs/hub_root.der"


def tls_context():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.verify_mode = ssl.CERT_REQUIRED
    with open(CA_FILE, "rb") as f:
        ca_der = f.read()
    ctx.load_verify_locations(cadata=ca_der)
    return ctx


def main():
    wlan = network.WLAN(network.STA_IF)
    wlan.active(True)
    wlan.connect(config.WIFI_SSID, config.WIFI_PASS)
    while not wlan.isconnected():
        time.sleep(1)
    client = MQTTClient(config.DEVICE_ID, config.HUB_HOST, port=8883,
                        user=config.HUB_HOST + "/" + config.DEVICE_ID + "/?api-version=2021-04-12",
                        password=config.SAS, ssl=tls_context(), keepalive=240)
    client.connect()
    client.publish(b"devices/" + config.DEVICE_ID.encode() + b"/messages/events/", b"{}")


main()
