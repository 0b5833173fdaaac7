import ssl

import paho.mqtt.client as mqtt

HUB = "fleet-hub-prod.azure-devices.net"
DEVICE_ID = "edge-gw-14"

client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=DEVICE_ID, protocol=mqtt.MQTTv311)
client.username_pw_set(f"{HUB}/{DEVICE_ID}/?api-version=2021-04-12", password=None)
client.tls_set(
    ca_certs="/etc/ssl/certs/ca-certificates.crt",
    certfile="/etc/edge-gw/certs/edge-gw-14.pem",
    keyfile="/etc/edge-gw/certs/edge-gw-14.key",
    cert_reqs=ssl.CERT_REQUIRED,
)
client.connect(HUB, 8883, keepalive=60)
