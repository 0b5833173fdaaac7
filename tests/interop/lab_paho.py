#!/usr/bin/python3
"""lab_paho.py: Eclipse Paho (python3-paho-mqtt 1.6) against `rootshift lab serve`, as an Azure IoT device would
connect: client id = device id, user name "{hub}/{device}/?api-version=2021-04-12", a SAS token as the password,
TLS with the lab's bundle, over TCP (8883) or WebSockets (path /$iothub/websocket on the HTTPS port, as the Python
SDK's paho `ws_set_options(path="/$iothub/websocket")`). SAS tokens are made here with hmac, not by rootshift.

Usage:
  lab_paho.py pub  tcp|ws PORT CAFILE HUB DEVICE KEY SE   one QoS 1 telemetry message; exit 0 on its PUBACK
  lab_paho.py hold tcp|ws PORT CAFILE HUB DEVICE KEY SE MAX [READYFILE]
        connects, writes READYFILE once connected, and waits up to MAX s for the lab to drop the session; prints
        the seconds from CONNACK to the drop; exit 0 when dropped, 1 when it was not
"""
import base64, hashlib, hmac, sys, threading, time, urllib.parse

import paho.mqtt.client as mqtt


def expiry(arg):
    """SE as epoch seconds, or "BASE@WALL+N": the lab's clock BASE read at wall time WALL, plus the wall seconds
    since, plus N: a token that expires N s from now on the lab's clock, however long this client took to start."""
    if "@" not in arg:
        return int(arg)
    base, rest = arg.split("@")
    wall, n = rest.split("+")
    return int(base) + int(time.time() - int(wall)) + int(n)


def sas(key_b64, sr, se):
    sig = base64.b64encode(hmac.new(base64.b64decode(key_b64), f"{sr}\n{se}".encode(), hashlib.sha256).digest())
    return f"SharedAccessSignature sr={sr}&sig={urllib.parse.quote(sig.decode(), safe='')}&se={se}"


def client(transport, cafile, hub, device, key, se):
    c = mqtt.Client(client_id=device, clean_session=False, protocol=mqtt.MQTTv311,
                    transport="websockets" if transport == "ws" else "tcp")
    if transport == "ws":
        c.ws_set_options(path="/$iothub/websocket")
    c.tls_set(ca_certs=cafile)
    c.username_pw_set(f"{hub}/{device}/?api-version=2021-04-12", sas(key, f"{hub}/devices/{device}", se))
    return c


def main(argv):
    mode, transport, port, cafile, hub, device, key, se = argv[1:9]
    port, se = int(port), expiry(se)
    c = client(transport, cafile, hub, device, key, se)
    done = threading.Event()
    state = {"rc": None, "connected_at": None, "dropped_at": None}

    def on_connect(cl, userdata, flags, rc):
        if state["connected_at"] is not None:
            return  # Paho's loop reconnects after a drop: only the first session counts
        state["rc"] = rc
        state["connected_at"] = time.monotonic()
        if rc != 0:
            done.set()
            return
        if mode == "pub":
            cl.publish(f"devices/{device}/messages/events/", b'{"t":21}', qos=1)
        elif len(argv) > 10:
            open(argv[10], "w").close()

    def on_publish(cl, userdata, mid):
        done.set()

    def on_disconnect(cl, userdata, rc):
        if state["dropped_at"] is None:
            state["dropped_at"] = time.monotonic()
        done.set()

    c.on_connect, c.on_publish, c.on_disconnect = on_connect, on_publish, on_disconnect
    # "localhost": the lab's leaf names it (Paho checks the host name against the certificate)
    c.connect("localhost", port, keepalive=60)
    c.loop_start()
    limit = float(argv[9]) if mode == "hold" else 15
    done.wait(limit)
    c.loop_stop()
    if mode == "pub":
        ok = state["rc"] == 0 and done.is_set() and state["dropped_at"] is None
        print("puback" if ok else f"no puback (connack rc {state['rc']})")
        c.disconnect()
        return 0 if ok else 1
    if state["rc"] != 0 or state["dropped_at"] is None:
        print(f"not dropped (connack rc {state['rc']})")
        return 1
    print(f"{state['dropped_at'] - state['connected_at']:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
