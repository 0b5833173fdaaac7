"""Static settings of the gateway agent (overridden by /etc/gwagent/local.py)."""
import os

HUB_HOST = "contoso-plant.azure-devices.net"
HUB_PORT = 8883
DEVICE_ID = os.environ.get("GW_DEVICE_ID", "gw-unknown")
API_VERSION = "2021-04-12"

CA_PATH = "/opt/gwagent/certs/hub-ca.pem"
CERT_PATH = "/opt/gwagent/certs/device.crt"
KEY_PATH = "/opt/gwagent/certs/device.key"

PUBLISH_INTERVAL_S = 30
