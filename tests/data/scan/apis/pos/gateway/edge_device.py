from azure.iot.device import IoTHubDeviceClient

EDGE_CA_PEM = "/etc/edge/certs/gw-edge-ica.pem"


def connect(cs):
    with open(EDGE_CA_PEM) as f:
        pem = f.read()
    return IoTHubDeviceClient.create_from_connection_string(cs, server_verification_cert=pem)
