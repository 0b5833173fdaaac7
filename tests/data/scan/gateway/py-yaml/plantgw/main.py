import yaml
import paho.mqtt.client as mqtt


def load(path="/etc/plant-gw/gateway.yaml"):
    with open(path) as f:
        return yaml.safe_load(f)


def connect(cfg):
    m = cfg["mqtt"]
    client = mqtt.Client(client_id=m["device_id"])
    tls = m["tls"]
    client.tls_set(ca_certs=tls["ca_certs"], certfile=tls["certfile"], keyfile=tls["keyfile"])
    client.connect(m["host"], m["port"])
    return client
