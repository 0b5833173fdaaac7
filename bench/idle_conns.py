#!/usr/bin/env python3
"""idle_conns.py PORT CAFILE COUNT KEY_B64 [HUB]: opens COUNT MQTT-over-TLS connections (device ids idle0..N-1,
SAS from KEY_B64), each CONNECT with keep-alive 1177 s, waits for every CONNACK, prints "connected N" and holds
them until stdin closes. Connections come from 127.0.0.x source addresses so that more than one port range fits."""
import asyncio, base64, hashlib, hmac, ssl, struct, sys, urllib.parse


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


async def one(i, port, ctx, key, hub, writers, sem):
    dev = f"idle{i}"
    sr = f"{hub}/devices/{dev}"
    sig = base64.b64encode(hmac.new(key, f"{sr}\n1798761600".encode(), hashlib.sha256).digest()).decode()
    tok = f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig, safe='')}&se=1798761600"
    async with sem:
        r, w = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, server_hostname="localhost",
                                             local_addr=(f"127.0.0.{2 + i // 20000}", 0))
        w.write(connect_packet(dev, f"{hub}/{dev}/?api-version=2021-04-12", tok))
        ack = await r.readexactly(4)
        if ack[3] != 0:
            raise SystemExit(f"CONNACK {ack[3]} for {dev}")
        writers.append((r, w))


async def main():
    port, cafile, count, key = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), base64.b64decode(sys.argv[4])
    hub = sys.argv[5] if len(sys.argv) > 5 else "rootshift-lab.azure-devices.net"
    ctx = ssl.create_default_context(cafile=cafile)
    writers, sem = [], asyncio.Semaphore(64)
    await asyncio.gather(*(one(i, port, ctx, key, hub, writers, sem) for i in range(count)))
    print("connected", len(writers), flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.read)


asyncio.run(main())
