import ssl

import paho.mqtt.client as mqtt

HUB = "fleet-hub-prod.azure-devices.net"
DEVICE_ID = "edge-gw-12"

client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=DEVICE_ID, protocol=mqtt.MQTTv311)
client.username_pw_set(f"{HUB}/{DEVICE_ID}/?api-version=2021-04-12", password=None)
client.tls_set(
    ca_certs="/etc/edge-gw/certs/hub-ica.pem",
    certfile="/etc/edge-gw/certs/edge-gw-12.pem",
    keyfile="/etc/edge-gw/certs/edge-gw-12.key",
    cert_reqs=ssl.CERT_REQUIRED,
    tls_version=ssl.PROTOCOL_TLS_CLIENT,
)
client.connect(HUB, 8883, keepalive=60)
client.loop_forever()
