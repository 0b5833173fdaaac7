#!/usr/bin/python3
"""ws_amqp_header.py PORT CAFILE: a WebSocket upgrade on /$iothub/websocket offering AMQPWSB10 (as the Azure IoT C
SDK's AMQP-over-WebSockets transport does), then the AMQP SASL protocol header in a masked binary frame. Exit 0
when the lab answers 101 with the subprotocol echoed, and a binary frame that starts with the same header and
offers the SASL mechanisms MSSBCBS and PLAIN."""
import base64, os, socket, ssl, struct, sys

port, cafile = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(cafile=cafile)
s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=5), server_hostname="localhost")
key = base64.b64encode(os.urandom(16)).decode()
s.sendall((f"GET /$iothub/websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: AMQPWSB10\r\n\r\n").encode())
buf = b""
while b"\r\n\r\n" not in buf:
    d = s.recv(4096)
    if not d:
        sys.exit("closed before the upgrade answer")
    buf += d
head, buf = buf.split(b"\r\n\r\n", 1)
if not head.startswith(b"HTTP/1.1 101") or b"Sec-WebSocket-Protocol: AMQPWSB10" not in head:
    sys.exit("not upgraded: " + head.decode(errors="replace"))
payload, mask = b"AMQP\x03\x01\x00\x00", os.urandom(4)
s.sendall(bytes([0x82, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
got = b""
while len(got) < 40:
    while len(buf) < 2 or len(buf) < 2 + (buf[1] & 0x7F):
        d = s.recv(4096)
        if not d:
            sys.exit(f"closed after {got!r}")
        buf += d
    if buf[0] & 0x0F != 2 or buf[1] & 0x80 or (buf[1] & 0x7F) > 125:
        sys.exit(f"unexpected frame {buf[:2]!r}")
    n = buf[1] & 0x7F
    got += buf[2:2 + n]
    buf = buf[2 + n:]
ok = got.startswith(payload) and b"MSSBCBS" in got and b"PLAIN" in got
print(got)
sys.exit(0 if ok else 1)
