"""Provision the device through DPS with its symmetric key."""
import pathlib

from azure.iot.device import ProvisioningDeviceClient

DPS_HOST = "global.azure-devices-provisioning.net"
ROOT_CA = pathlib.Path("/etc/fleetagent/certs/azure-root.pem")


def provision(id_scope: str, registration_id: str, key: str):
    client = ProvisioningDeviceClient.create_from_symmetric_key(
        provisioning_host=DPS_HOST,
        registration_id=registration_id,
        id_scope=id_scope,
        symmetric_key=key,
        server_verification_cert=ROOT_CA.read_text(),
    )
    return client.register()
