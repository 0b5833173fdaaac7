# Pins the SHA-1 thumbprint of the intermediate IoT Hub serves today (Microsoft Azure RSA TLS Issuing CA 03).
import hashlib
import ssl

EXPECTED_THUMBPRINT = "37461aacfa5970f7f2d2bac5a659b53b72541c68"


def check(sock: ssl.SSLSocket) -> bool:
    der = sock.getpeercert(binary_form=True)
    return hashlib.sha1(der).hexdigest() == EXPECTED_THUMBPRINT
