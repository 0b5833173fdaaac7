import socket
import ssl

from certs import AZURE_CA

HOST = "contoso-hub.azure-devices.net"


def open_tls():
    addr = socket.getaddrinfo(HOST, 443)[0][-1]
    sock = socket.socket()
    sock.connect(addr)
    return ssl.wrap_socket(sock, server_hostname=HOST, cert_reqs=ssl.CERT_REQUIRED, cadata=AZURE_CA)
