"""fake_service.py MODE PORT CERT KEY: minimal TLS peers for the probe's protocol steps, on loopback.

MODE https401: answers every HTTP request with IoT Hub's 401 and its error body (azure-iot-facts.md 3.5).
MODE dps401:   answers like DPS to a register PUT without valid credentials (401, errorCode 401002).
MODE amqp:     answers the AMQP SASL protocol header with its own and a sasl-mechanisms frame (AMQP 1.0, 5.3.3.1).
Serves connections for at most 60 seconds, then exits.
"""
import socket, ssl, sys, threading, time

mode, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)

HUB_401 = b'{"Message":"ErrorCode:IotHubUnauthorizedAccess;Unauthorized","ExceptionMessage":"Tracking ID:0-TimeStamp:0"}'
DPS_401 = b'{"errorCode":401002,"trackingId":"0","message":"Unauthorized"}'
MECHS = bytes([0x00, 0x53, 0x40, 0xc0, 0x1d, 0x01, 0xe0, 0x1a, 0x03, 0xa3, 7]) + b"MSSBCBS" + b"\x05PLAIN" + b"\x09ANONYMOUS"
FRAME = (8 + len(MECHS)).to_bytes(4, "big") + bytes([2, 1, 0, 0]) + MECHS


def serve(conn):
    try:
        tls = ctx.wrap_socket(conn, server_side=True)
        tls.settimeout(5)
        if mode == "amqp":
            if tls.recv(8)[:4] == b"AMQP":
                tls.sendall(b"AMQP\x03\x01\x00\x00" + FRAME)
            time.sleep(0.2)
        else:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = tls.recv(4096)
                if not chunk:
                    return
                data += chunk
            body = DPS_401 if mode == "dps401" else HUB_401
            tls.sendall(b"HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: "
                        + str(len(body)).encode() + b"\r\nConnection: close\r\n\r\n" + body)
        tls.close()
    except (OSError, ssl.SSLError):
        pass


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(16)
srv.settimeout(1)
end = time.time() + 60
while time.time() < end:
    try:
        c, _ = srv.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
