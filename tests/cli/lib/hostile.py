#!/usr/bin/env python3
"""hostile.py: hostile and careless clients for the lab's bounds tests (standard library only).

Usage: hostile.py SCENARIO PORT CAFILE [ARGS...]; prints what it saw, exits 0 when it could do what it was asked
(the test script judges the lab through /api/status, /metrics and the events).
  inject PORT CA HOLD          a DPS session and a hub CONNECT whose client id, user name and topic hold quotes,
                               backslashes, control bytes and bytes that are not UTF-8; the session is held HOLD s
  connect-flood PORT - N       N TCP connections closed at once (each one a tls-failure event)
  ping-flood PORT CA SECONDS   WebSocket PINGs as fast as the socket takes them; the PONGs are never read
  idle PORT CA N HOLD          N TLS connections that never authenticate, held HOLD s; prints how many the lab
                               closed and when
  hold-tcp PORT - N HOLD       N TCP connections held open HOLD s (no TLS)
  no-read PORT CA DEV KEY      a device that asks for its twin as fast as it can and never reads the answers
  hold-hub PORT CA DEV KEY S   a device's hub session, still open after S s of silence (keep-alive 60)
  unauth PORT CA AMQP HOLD     three connections that never authenticate: TLS and silence, an AMQP SASL header,
                               DPS with bogus credentials and keep-alive 0; prints when the lab closed each
"""
import os, socket, ssl, struct, sys, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from mqtt_client import HUB, Client, connect_packet, hub_connect, publish_packet, sas  # noqa: E402

# MQTT strings are UTF-8 without U+0000 (the lab's decoder refuses others, as MQTT 3.1.1, 1.5.3, says)
NASTY = b'q"b\\s\x01\x08\n\r\t\x1b[31m\x7f\xc3\xa9\xe2\x80\xa8</td><script>x</script>{"a":1}'


def scenario_inject(port, cafile, hold="5"):
    dps = Client(port, cafile)
    user = b"0ne00000000/registrations/" + NASTY + b"/api-version=2019-03-31"
    dps.send(connect_packet(NASTY, user, b"SharedAccessSignature sr=x&sig=y&se=1"))
    p = dps.read_packet()
    if not p or p[0] != 2:
        print("no CONNACK for the DPS session:", p)
        sys.exit(1)
    topic = Client(port, cafile)
    topic.send(connect_packet(b"t" + NASTY, user, b"x"))
    topic.read_packet()
    topic.send(publish_packet(b"$dps/registrations/PUT/iotdps-register/?$rid=" + NASTY))
    topic.read_packet()
    hub = Client(port, cafile)
    hub.send(connect_packet(NASTY + b"tail", b"rootshift-lab.azure-devices.net/" + NASTY + b"/?api-version=1",
                            b"SharedAccessSignature sr=" + NASTY + b"&sig=x&se=1"))
    p = hub.read_packet()
    print("hub CONNECT answered:", p)
    bad = Client(port, cafile)
    bad.send(connect_packet(b"d" + NASTY, b"h/d" + NASTY + b"/?api-version=1", b"x"))
    bad.read_packet()
    print("holding the DPS session", flush=True)
    time.sleep(float(hold))


def scenario_connect_flood(port, _ca, n="1500"):
    done = 0
    for _ in range(int(n)):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            done += 1
        except OSError:
            time.sleep(0.01)
    print(f"{done} connections made and closed")


def ws_upgrade(port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.create_connection(("127.0.0.1", port), timeout=10)
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock = ctx.wrap_socket(raw, server_hostname="localhost")
    sock.sendall(b"GET /$iothub/websocket HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: mqtt\r\n\r\n")
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(1)
        if not chunk:
            raise SystemExit("no upgrade")
        head += chunk
    if b" 101 " not in head.split(b"\r\n")[0]:
        raise SystemExit("upgrade refused: " + head.decode(errors="replace"))
    return sock


def scenario_ping_flood(port, cafile, seconds="6"):
    sock = ws_upgrade(port, cafile)
    payload = b"p" * 125
    mask = b"\x01\x02\x03\x04"
    frame = bytes([0x89, 0x80 | len(payload)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    burst = frame * 64
    sock.settimeout(1)
    sent, end, closed = 0, time.time() + float(seconds), "no"
    while time.time() < end:
        try:
            sock.sendall(burst)
            sent += 64
        except socket.timeout:
            continue  # the lab stopped reading: keep trying, still never reading
        except (OSError, ssl.SSLError):
            closed = "yes"
            break
    print(f"sent {sent} pings; closed by the lab: {closed}")


def scenario_idle(port, cafile, n="20", hold="10"):
    ctx = ssl.create_default_context(cafile=cafile)
    socks, t0 = [], time.time()
    for _ in range(int(n)):
        raw = socket.create_connection(("127.0.0.1", port), timeout=10)
        socks.append(ctx.wrap_socket(raw, server_hostname="localhost"))
    print(f"{len(socks)} TLS connections open, never authenticating", flush=True)
    closed_at = {}
    end = t0 + float(hold)
    for sk in socks:
        sk.setblocking(False)
    while time.time() < end and len(closed_at) < len(socks):
        for i, sk in enumerate(socks):
            if i in closed_at:
                continue
            try:
                if not sk.recv(4096):
                    closed_at[i] = time.time() - t0
            except (ssl.SSLWantReadError, BlockingIOError):
                pass
            except (OSError, ssl.SSLError):
                closed_at[i] = time.time() - t0
        time.sleep(0.05)
    last = max(closed_at.values()) if closed_at else 0
    print(f"closed by the lab: {len(closed_at)} of {len(socks)}, the last after {last:.1f} s")


def scenario_hold_tcp(port, _ca, n="80", hold="5"):
    socks = []
    for _ in range(int(n)):
        try:
            socks.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        except OSError:
            pass
    print(f"{len(socks)} TCP connections held", flush=True)
    time.sleep(float(hold))


def scenario_no_read(port, cafile, dev, key):
    ctx = ssl.create_default_context(cafile=cafile)
    raw = socket.socket()
    raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    raw.settimeout(10)
    raw.connect(("127.0.0.1", port))
    sock = ctx.wrap_socket(raw, server_hostname="localhost")
    sock.sendall(connect_packet(dev, f"{HUB}/{dev}/?api-version=2021-04-12", sas(key, f"{HUB}/devices/{dev}")))
    sock.settimeout(1)
    sent, t0, closed, pending = 0, time.time(), "no", b""
    # the lab closes once its own queue for the peer is full, after the kernel's buffers (several MB on loopback):
    # a slow lab (a sanitizer build beside other tests) needs longer to answer that much; the loop ends at the close.
    # send(), not sendall(): a send that times out has written part of a batch, and what is left must follow it, or
    # the lab reads a packet cut in two (a protocol error, or a packet it waits for), not a peer that does not read.
    while time.time() - t0 < 60:
        if not pending:
            pending = b"".join(publish_packet(f"$iothub/twin/GET/?$rid={sent + i}") for i in range(100))
            sent += 100
        try:
            pending = pending[sock.send(pending):]
        except socket.timeout:
            continue
        except (OSError, ssl.SSLError):
            closed = "yes"
            break
    print(f"sent {sent} twin requests, read none; closed by the lab: {closed} after {time.time() - t0:.1f} s")
    sys.exit(0 if closed == "yes" else 1)


def tls(port, cafile):
    ctx = ssl.create_default_context(cafile=cafile)
    return ctx.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="localhost")


def scenario_unauth(port, cafile, amqp_port, hold="15"):
    silent = tls(port, cafile)
    amqp = tls(int(amqp_port), cafile)
    amqp.sendall(b"AMQP\x03\x01\x00\x00")
    dps = tls(port, cafile)
    dps.sendall(connect_packet("bogus", "0ne00000000/registrations/bogus/api-version=2019-03-31",
                               "SharedAccessSignature sr=x&sig=y&se=1", keepalive=0))
    t0, socks, closed = time.time(), {"tls": silent, "amqp": amqp, "dps": dps}, {}
    for sk in socks.values():
        sk.setblocking(False)
    while time.time() - t0 < float(hold) and len(closed) < len(socks):
        for name, sk in socks.items():
            if name in closed:
                continue
            try:
                while sk.recv(4096):
                    pass
                closed[name] = time.time() - t0
            except (ssl.SSLWantReadError, BlockingIOError):
                pass
            except (OSError, ssl.SSLError):
                closed[name] = time.time() - t0
        time.sleep(0.05)
    print(" ".join(f"{n}={closed[n]:.1f}" if n in closed else f"{n}=open" for n in socks))
    sys.exit(0 if len(closed) == len(socks) else 1)


def scenario_hold_hub(port, cafile, dev, key, seconds="12"):
    c = hub_connect(port, cafile, dev, key, keepalive=60)
    c.sock.settimeout(float(seconds))
    try:
        data = c.sock.recv(1)
    except socket.timeout:
        print(f"the session is open after {seconds} s")
        return
    print(f"the lab closed the session: {data!r}")
    sys.exit(1)


def main():
    name, port, cafile, *args = sys.argv[1:]
    globals()["scenario_" + name.replace("-", "_")](int(port), cafile, *args)


if __name__ == "__main__":
    main()
