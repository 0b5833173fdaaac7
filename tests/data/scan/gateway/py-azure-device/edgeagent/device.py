from azure.iot.device import IoTHubDeviceClient, Message

from edgeagent.paths import HUB_CA_PEM


def connect(connection_string):
    with open(HUB_CA_PEM) as f:
        root_ca = f.read()
    client = IoTHubDeviceClient.create_from_connection_string(
        connection_string, server_verification_cert=root_ca)
    client.connect()
    return client


def send(client, payload):
    client.send_message(Message(payload))
