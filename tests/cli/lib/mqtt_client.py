#!/usr/bin/env python3
"""mqtt_client.py: a small MQTT 3.1.1 client over TLS for the lab's script tests (standard library only).

Scenarios the mosquitto clients cannot run in one session: the DPS registration flow, twin GET/PATCH, keep-alive
enforcement, one connection per device, and hostile clients. SAS tokens are computed here with hmac, independently
of librootshift. Usage: mqtt_client.py SCENARIO PORT CAFILE [ARGS...]; exit 0 when the lab behaved as expected.
"""
import base64, hashlib, hmac, json, socket, ssl, struct, sys, time, urllib.parse

HUB = "rootshift-lab.azure-devices.net"
SE = 1798761600  # 2027-01-01; the lab runs with --at 2026-01-01


def sas(key_b64, sr, se=SE, skn=None):
    sig = base64.b64encode(hmac.new(base64.b64decode(key_b64), f"{sr}\n{se}".encode(), hashlib.sha256).digest())
    tok = f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig.decode(), safe='')}&se={se}"
    return tok + (f"&skn={skn}" if skn else "")


def s(x):
    b = x.encode() if isinstance(x, str) else x
    return struct.pack(">H", len(b)) + b


def rl(n):
    out = b""
    while True:
        d, n = n % 128, n // 128
        out += bytes([d | (0x80 if n else 0)])
        if not n:
            return out


def packet(t, body):
    return bytes([t]) + rl(len(body)) + body


def connect_packet(cid, user, password, keepalive=60, clean=False):
    flags = 0xC0 | (0x02 if clean else 0)
    return packet(0x10, s("MQTT") + bytes([4, flags]) + struct.pack(">H", keepalive) + s(cid) + s(user) + s(password))


def publish_packet(topic, payload=b"", qos=0, pid=1):
    body = s(topic) + (struct.pack(">H", pid) if qos else b"") + payload
    return packet(0x30 | (qos << 1), body)


def subscribe_packet(pid, *topics):
    return packet(0x82, struct.pack(">H", pid) + b"".join(s(t) + b"\x01" for t in topics))


class Client:
    def __init__(self, port, cafile, timeout=10):
        ctx = ssl.create_default_context(cafile=cafile)
        raw = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        self.buf = b""

    def send(self, data):
        self.sock.sendall(data)

    def read_packet(self):
        """(type, flags, body), or None when the server closed the connection."""
        while True:
            if len(self.buf) >= 2:
                n, mult, i = 0, 1, 1
                while i < len(self.buf):
                    n += (self.buf[i] & 0x7F) * mult
                    mult *= 128
                    if not self.buf[i] & 0x80:
                        break
                    i += 1
                if i < len(self.buf) and len(self.buf) >= i + 1 + n:
                    t, body = self.buf[0], self.buf[i + 1:i + 1 + n]
                    self.buf = self.buf[i + 1 + n:]
                    return t >> 4, t & 15, body
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionError, ssl.SSLError):
                chunk = b""
            if not chunk:
                return None
            self.buf += chunk

    def read_publish(self):
        """(topic, payload) of the next PUBLISH; a QoS 1 one is acknowledged; self.last_qos says which QoS."""
        p = self.read_packet()
        assert p and p[0] == 3, f"expected PUBLISH, got {p}"
        body, self.last_qos = p[2], (p[1] >> 1) & 3
        n = struct.unpack(">H", body[:2])[0]
        topic, rest = body[2:2 + n].decode(), body[2 + n:]
        if self.last_qos:
            self.send(packet(0x40, rest[:2]))  # PUBACK
            rest = rest[2:]
        return topic, rest


def fail(msg):
    print("FAIL", msg)
    sys.exit(1)


def hub_connect(port, cafile, dev, key, keepalive=60):
    c = Client(port, cafile)
    c.send(connect_packet(dev, f"{HUB}/{dev}/?api-version=2021-04-12", sas(key, f"{HUB}/devices/{dev}"), keepalive))
    p = c.read_packet()
    if not p or p[0] != 2 or p[2][1] != 0:
        fail(f"CONNACK 0 expected, got {p}")
    return c


def scenario_dps(port, cafile, scope, reg, key, expect="assigned"):
    c = Client(port, cafile)
    user = f"{scope}/registrations/{reg}/api-version=2019-03-31"
    c.send(connect_packet(reg, user, sas(key, f"{scope}%2fregistrations%2f{reg}", skn="registration"), clean=True))
    p = c.read_packet()
    if not p or p[0] != 2 or p[2][1] != 0:
        fail(f"DPS: CONNACK 0 expected, got {p}")
    c.send(subscribe_packet(1, "$dps/registrations/res/#"))
    p = c.read_packet()
    if not p or p[0] != 9 or p[2][2:] != b"\x01":
        fail(f"DPS: SUBACK expected, got {p}")
    c.send(publish_packet("$dps/registrations/PUT/iotdps-register/?$rid=1", json.dumps({"registrationId": reg}).encode()))
    topic, body = c.read_publish()
    if expect == "401":
        if not topic.startswith("$dps/registrations/res/401/?$rid=1") or json.loads(body)["errorCode"] != 401000:
            fail(f"DPS: res/401 expected, got {topic} {body}")
        print("DPS: res/401", body.decode())
        return
    if not topic.startswith("$dps/registrations/res/202/?$rid=1") or "retry-after=" not in topic:
        fail(f"DPS: res/202 expected, got {topic}")
    if c.last_qos != 1:
        fail(f"DPS: the reply should come at the QoS subscribed with (1), got {c.last_qos}")
    op = json.loads(body)
    if op["status"] != "assigning":
        fail(f"DPS: assigning expected, got {body}")
    c.send(publish_packet(f"$dps/registrations/GET/iotdps-get-operationstatus/?$rid=2&operationId={op['operationId']}"))
    topic, body = c.read_publish()
    st = json.loads(body)
    if not topic.startswith("$dps/registrations/res/200/?$rid=2") or st["status"] != "assigned" \
            or st["registrationState"]["assignedHub"] != HUB or st["registrationState"]["deviceId"] != reg:
        fail(f"DPS: assigned expected, got {topic} {body}")
    print("DPS: assigned to", st["registrationState"]["assignedHub"])


def scenario_twin(port, cafile, dev, key):
    c = hub_connect(port, cafile, dev, key)
    c.send(subscribe_packet(1, "$iothub/twin/res/#", f"devices/{dev}/messages/devicebound/#", "not/allowed/#"))
    p = c.read_packet()
    if not p or p[0] != 9 or p[2][2:] != b"\x01\x01\x80":
        fail(f"SUBACK 1,1,0x80 expected, got {p}")
    c.send(publish_packet("$iothub/twin/GET/?$rid=7"))
    topic, body = c.read_publish()
    if topic != "$iothub/twin/res/200/?$rid=7" or "desired" not in json.loads(body):
        fail(f"twin GET: {topic} {body}")
    c.send(publish_packet("$iothub/twin/PATCH/properties/reported/?$rid=8", b'{"fw":"1.0"}'))
    topic, body = c.read_publish()
    if not topic.startswith("$iothub/twin/res/204/?$rid=8&$version="):
        fail(f"twin PATCH: {topic}")
    c.send(b"\xc0\x00")
    p = c.read_packet()
    if not p or p[0] != 13:
        fail(f"PINGRESP expected, got {p}")
    c.send(publish_packet(f"devices/{dev}/messages/events/", b"x", qos=2, pid=3))
    if c.read_packet() is not None:
        fail("QoS 2 should disconnect")
    print("twin GET/PATCH, PINGREQ and the C2D subscription answered; QoS 2 disconnects")


def scenario_keepalive(port, cafile, dev, key, keepalive="2"):
    """A session without a packet for 1.5 x its keep-alive is dropped (IoT Hub's rule): 3 s for 2 s, 1.5 s (not
    1 s) for 1 s; the lab checks every 0.25 s."""
    ka = int(keepalive)
    c = hub_connect(port, cafile, dev, key, keepalive=ka)
    t0 = time.monotonic()
    p = c.read_packet()
    dt = time.monotonic() - t0
    if p is not None or not 1.5 * ka - 0.05 <= dt < 1.5 * ka + 0.7:
        fail(f"closed after {dt:.2f} s (expected 1.5 x {ka} s), got {p}")
    print(f"keep-alive {ka} s: closed after {dt:.2f} s")


def scenario_session(port, cafile, dev, key):
    """CONNACK's session present: 0 the first time, 1 when a clean_session=0 device had a session, 0 again after
    a clean_session=1 connection discarded it (MQTT 3.1.1 3.2.2.2)."""
    got = []
    for clean in (False, False, True, False):
        c = Client(port, cafile)
        c.send(connect_packet(dev, f"{HUB}/{dev}/?api-version=2021-04-12", sas(key, f"{HUB}/devices/{dev}"), 60, clean))
        p = c.read_packet()
        if not p or p[0] != 2 or p[2][1] != 0:
            fail(f"CONNACK 0 expected, got {p}")
        got.append(p[2][0] & 1)
        c.send(packet(0xE0, b""))
        c.sock.close()
    if got != [0, 1, 0, 0]:
        fail(f"session present {got}, expected [0, 1, 0, 0]")
    print(f"session present {got}")


def scenario_kick(port, cafile, dev, key):
    first = hub_connect(port, cafile, dev, key)
    hub_connect(port, cafile, dev, key)
    if first.read_packet() is not None:
        fail("the first connection should be closed by the second")
    print("a second connection for the same device closes the first")


def scenario_garbage_after(port, cafile):
    c = Client(port, cafile)
    c.send(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n" * 10)
    if c.read_packet() is not None:
        fail("garbage after the handshake should close the connection")


def scenario_huge(port, cafile, dev, key):
    c = hub_connect(port, cafile, dev, key)
    c.send(b"\x30\xff\xff\xff\x7f")  # a PUBLISH announcing 256 MB
    t0 = time.monotonic()
    if c.read_packet() is not None or time.monotonic() - t0 > 2:
        fail("a 256 MB remaining length should close the connection at once")


def client_hello(cafile):
    """The bytes of a real TLS ClientHello, made without a socket."""
    ctx = ssl.create_default_context(cafile=cafile)
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname="localhost")
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def scenario_garbage_before(port, cafile):
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.sendall(bytes(range(256)) * 64)
    try:
        while sock.recv(4096):
            pass
    except ConnectionError:
        pass
    print("garbage before the handshake: closed")


def scenario_slowloris(port, cafile, n="50", hold="4"):
    """n connections that send half a ClientHello and stall; the lab must close them all within hold seconds."""
    hello = client_hello(cafile)
    socks = []
    for _ in range(int(n)):
        sk = socket.create_connection(("127.0.0.1", port), timeout=float(hold))
        sk.sendall(hello[:len(hello) // 2])
        socks.append(sk)
    t0 = time.monotonic()
    for sk in socks:
        try:
            if sk.recv(4096):
                fail("slowloris got data")
        except ConnectionError:
            pass
        except socket.timeout:
            fail(f"a stalled handshake was still open after {hold} s")
        sk.close()
    print(f"slowloris: {n} stalled handshakes closed after {time.monotonic() - t0:.1f} s")


def scenario_drop_mid_handshake(port, cafile, n="1000", batch="100"):
    hello = client_hello(cafile)
    done = 0
    while done < int(n):
        socks = []
        for _ in range(min(int(batch), int(n) - done)):
            sk = socket.create_connection(("127.0.0.1", port), timeout=5)
            sk.sendall(hello)
            socks.append(sk)
        for sk in socks:
            sk.recv(100)  # the first bytes of the ServerHello: the server is mid-handshake
            sk.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
            sk.close()
        done += len(socks)
    print(f"{done} connections dropped mid-handshake")


class WsClient(Client):
    """MQTT over WebSockets: upgrade on /$iothub/websocket, then binary frames, masked as clients must."""

    def __init__(self, port, cafile, subprotocol):
        super().__init__(port, cafile)
        key = base64.b64encode(b"rootshift-lab-ws").decode()
        self.sock.sendall((f"GET /$iothub/websocket HTTP/1.1\r\nHost: {HUB}\r\nUpgrade: websocket\r\n"
                           f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                           f"Sec-WebSocket-Protocol: {subprotocol}\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(4096)
            if not chunk:
                fail(f"WebSocket upgrade refused: {head!r}")
            head += chunk
        head, self.raw = head.split(b"\r\n\r\n", 1)
        self.head = head.decode()
        want = base64.b64encode(hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        if not self.head.startswith("HTTP/1.1 101") or f"Sec-WebSocket-Accept: {want}" not in self.head:
            fail(f"bad upgrade answer: {self.head}")

    def send(self, data, fragments=1):
        mask = b"\x0a\x0b\x0c\x0d"
        step = max(1, -(-len(data) // fragments))
        parts = [data[i:i + step] for i in range(0, len(data), step)] or [b""]
        for i, part in enumerate(parts):
            op = (0x2 if i == 0 else 0x0) | (0x80 if i == len(parts) - 1 else 0)
            n = len(part)
            hdr = bytes([op]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack(">H", n))
            self.sock.sendall(hdr + mask + bytes(b ^ mask[j % 4] for j, b in enumerate(part)))

    def read_packet(self):
        while True:
            if len(self.raw) >= 2:
                n, h = self.raw[1] & 0x7F, 2
                if n == 126 and len(self.raw) >= 4:
                    n, h = struct.unpack(">H", self.raw[2:4])[0], 4
                if len(self.raw) >= h + n:
                    op, payload = self.raw[0] & 0x0F, self.raw[h:h + n]
                    self.raw = self.raw[h + n:]
                    if op == 2:
                        self.buf += payload
                    elif op == 8:
                        return None
                    p = Client.read_packet_from_buf(self)
                    if p:
                        return p
                    continue
            try:
                chunk = self.sock.recv(65536)
            except (ConnectionError, ssl.SSLError):
                chunk = b""
            if not chunk:
                return None
            self.raw += chunk


def _read_packet_from_buf(self):
    if len(self.buf) < 2:
        return None
    n, mult, i = 0, 1, 1
    while i < len(self.buf):
        n += (self.buf[i] & 0x7F) * mult
        mult *= 128
        if not self.buf[i] & 0x80:
            break
        i += 1
    if i < len(self.buf) and len(self.buf) >= i + 1 + n:
        t, body = self.buf[0], self.buf[i + 1:i + 1 + n]
        self.buf = self.buf[i + 1 + n:]
        return t >> 4, t & 15, body
    return None


Client.read_packet_from_buf = _read_packet_from_buf


def scenario_ws(port, cafile, dev, key, subprotocol="MQTT"):
    c = WsClient(port, cafile, subprotocol)
    if f"Sec-WebSocket-Protocol: {subprotocol}\r\n" not in c.head + "\r\n":
        fail(f"the subprotocol {subprotocol} should be echoed back exactly: {c.head}")
    c.send(connect_packet(dev, f"{HUB}/{dev}/?api-version=2021-04-12", sas(key, f"{HUB}/devices/{dev}")), fragments=3)
    p = c.read_packet()
    if not p or p[0] != 2 or p[2][1] != 0:
        fail(f"WS: CONNACK 0 expected, got {p}")
    c.send(publish_packet(f"devices/{dev}/messages/events/", b'{"t":1}', qos=1, pid=5))
    p = c.read_packet()
    if not p or p[0] != 4 or p[2] != b"\x00\x05":
        fail(f"WS: PUBACK expected, got {p}")
    print(f"MQTT over WebSockets with subprotocol {subprotocol}: CONNACK 0, PUBACK")


def main():
    name, port, cafile, *args = sys.argv[1:]
    globals()["scenario_" + name.replace("-", "_")](int(port), cafile, *args)


if __name__ == "__main__":
    main()
