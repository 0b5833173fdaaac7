#!/usr/bin/env python3
"""idle_conns.py PORT CAFILE COUNT KEY_B64 [HUB]: opens COUNT MQTT-over-TLS connections (device ids idle0..N-1,
SAS from KEY_B64), each CONNECT with keep-alive 1177 s, waits for every CONNACK, prints "connected N" and holds
them until stdin closes. Connections come from 127.0.0.x source addresses so that more than one port range fits.

Non-blocking sockets on one selector, 64 handshakes at a time, the garbage collector off. Not asyncio: with it the
client itself grew to 3.3 GB of RSS while holding about 10,000 connections, and it connected several times slower."""
import base64, gc, hashlib, hmac, selectors, socket, ssl, struct, sys, urllib.parse

INFLIGHT = 64


def s(x):
    b = x.encode()
    return struct.pack(">H", len(b)) + b


def connect_packet(dev, user, password):
    body = s("MQTT") + bytes([4, 0xC0]) + struct.pack(">H", 1177) + s(dev) + s(user) + s(password)
    n, rl = len(body), b""
    while True:
        d, n = n % 128, n // 128
        rl += bytes([d | (0x80 if n else 0)])
        if not n:
            break
    return b"\x10" + rl + body


def packet_for(i, key, hub):
    dev = f"idle{i}"
    sr = f"{hub}/devices/{dev}"
    sig = base64.b64encode(hmac.new(key, f"{sr}\n1798761600".encode(), hashlib.sha256).digest()).decode()
    tok = f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig, safe='')}&se=1798761600"
    return connect_packet(dev, f"{hub}/{dev}/?api-version=2021-04-12", tok)


class Conn:
    """One device: TCP connect, TLS handshake, CONNECT, CONNACK."""

    def __init__(self, i, port, ctx, pkt):
        raw = socket.socket()
        raw.setblocking(False)
        raw.bind((f"127.0.0.{2 + i // 20000}", 0))
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost", do_handshake_on_connect=False)
        self.sock.connect_ex(("127.0.0.1", port))  # EINPROGRESS; the handshake waits for the socket
        self.pkt, self.ack, self.step = pkt, b"", self.handshake

    def handshake(self):
        self.sock.do_handshake()
        self.step = self.send
        return self.send()

    def send(self):
        n = self.sock.send(self.pkt)
        self.pkt = self.pkt[n:]
        if not self.pkt:
            self.step = self.receive
        return None

    def receive(self):
        data = self.sock.recv(4 - len(self.ack))
        if not data:
            raise SystemExit("connection closed before CONNACK")
        self.ack += data
        if len(self.ack) < 4:
            return None
        if self.ack[3] != 0:
            raise SystemExit(f"CONNACK {self.ack[3]}")
        return True

    def advance(self):
        """True when connected; None when it waits for the socket."""
        try:
            return self.step()
        except (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError):
            return None


def main():
    port, cafile, count, key = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), base64.b64decode(sys.argv[4])
    hub = sys.argv[5] if len(sys.argv) > 5 else "rootshift-lab.azure-devices.net"
    ctx = ssl.create_default_context(cafile=cafile)
    gc.disable()
    sel = selectors.DefaultSelector()
    held, started = [], 0
    while len(held) < count:
        while started < count and started - len(held) < INFLIGHT:
            c = Conn(started, port, ctx, packet_for(started, key, hub))
            sel.register(c.sock, selectors.EVENT_READ | selectors.EVENT_WRITE, c)
            started += 1
        for k, _ in sel.select(timeout=1):
            c = k.data
            if c.advance():
                sel.unregister(c.sock)
                held.append(c.sock)
            elif c.step == c.receive:
                sel.modify(c.sock, selectors.EVENT_READ, c)
    print("connected", len(held), flush=True)
    sys.stdin.read()


main()
