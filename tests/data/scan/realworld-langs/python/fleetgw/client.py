"""HTTPS client for the hub's REST API (device twin, direct methods)."""
import logging

import requests
from requests.adapters import HTTPAdapter
from urllib3.poolmanager import PoolManager

from . import constants
from .constants import HUB_CA_CERT, ISSUER_SHA1

log = logging.getLogger(__name__)


class PinnedAdapter(HTTPAdapter):
    """Transport adapter that makes urllib3 check the issuing CA's fingerprint."""

    def init_poolmanager(self, connections, maxsize, block=False, **kwargs):
        self.poolmanager = PoolManager(
            num_pools=connections,
            maxsize=maxsize,
            block=block,
            assert_fingerprint=ISSUER_SHA1,
        )


class HubClient:
    def __init__(self, device_id, sas_token):
        self.device_id = device_id
        self.session = requests.Session()
        self.session.verify = HUB_CA_CERT
        self.session.headers["Authorization"] = sas_token
        self.session.mount("https://", PinnedAdapter())

    def _url(self, path):
        return f"https://{constants.HUB_HOST}/{path}?api-version={constants.API_VERSION}"

    def get_twin(self):
        r = self.session.get(self._url(f"twins/{self.device_id}"), timeout=10)
        r.raise_for_status()
        return r.json()

    def patch_reported(self, props):
        r = self.session.patch(self._url(f"twins/{self.device_id}"), json={"properties": {"reported": props}}, timeout=10)
        r.raise_for_status()
        log.info("reported %d properties", len(props))
