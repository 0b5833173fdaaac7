import paho.mqtt.client as mqtt

GW_BROKER_CA = "/opt/gw/certs/gw-broker-ica.pem"


def client():
    c = mqtt.Client(client_id="gw-7")
    c.tls_set(GW_BROKER_CA)
    return c
