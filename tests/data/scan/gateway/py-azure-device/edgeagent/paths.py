CONFIG_DIR = "/etc/edgeagent"
HUB_CA_PEM = "/etc/edgeagent/certs/hub-ca.pem"
STATE_DB = "/var/lib/edgeagent/state.db"
