"""Gateway-wide settings. Values here are overridden by /etc/fleetgw/gateway.env."""
import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
CERT_DIR = PACKAGE_DIR / "certs"

HUB_HOST = os.environ.get("FLEETGW_HUB", "fleet-hub.azure-devices.net")
HUB_PORT = 8883
API_VERSION = "2021-04-12"

# Issuing CA the hub presents; requests must trust it (see docs/tls.md)
HUB_CA_CERT = "certs/hub-intermediate.pem"

# Root used by the legacy MQTT socket path
ROOT_CA_FILE = "certs/hub-root.pem"

# SHA-256 of the hub's root certificate, checked after the handshake
HUB_ROOT_SHA256 = "16AF57A9F676B0AB126095AA5EBADEF22AB31119D644AC95CD4B93DBF3F26AEB"

# SHA-1 of the issuing CA, for urllib3's assert_fingerprint
ISSUER_SHA1 = "33:82:51:70:58:A0:C2:02:28:D5:98:EE:75:01:B6:12:56:A7:64:42"

RETRY_BACKOFF = (1, 2, 5, 10, 30)
