#!/usr/bin/python3
"""lab_proton.py: the Qpid Proton Python client (python3-qpid-proton) against `rootshift lab serve`'s AMQP port,
as an Azure IoT device uses IoT Hub: TLS with the lab's bundle (host name checked), then

  cbs   SASL ANONYMOUS, a CBS put-token on "$cbs" (application properties operation, type, name; the SAS token as
        the body; the reply's status-code), then one event on /devices/{id}/messages/events
  plain SASL PLAIN with "{id}@sas.{hub}" and the SAS token as the password, then one event
  hold  like cbs, then waits (up to MAX s) for the lab to close the events link when the token expires
  refresh  like hold, but puts a second token (expiring at SE2) on $cbs after 2 s, as the C SDK refreshes at
        80 % of the lifetime on the same connection: the link must stay open ("link kept")
  c2d   like cbs, then a receiver on /devices/{id}/messages/devicebound; READYFILE is written once it is open,
        and the first cloud-to-device message is printed ("c2d BODY")

Usage: lab_proton.py cbs|plain PORT CAFILE HUB DEVICE KEY SE
       lab_proton.py hold PORT CAFILE HUB DEVICE KEY SE MAX
       lab_proton.py c2d PORT CAFILE HUB DEVICE KEY SE MAX READYFILE
       lab_proton.py refresh PORT CAFILE HUB DEVICE KEY SE MAX SE2
Prints what happened ("status 200", "accepted", "sasl failed", "link closed after N s"); exit 0 when the lab
answered at all (the test checks the words). SAS tokens are made here with hmac, not by rootshift.
"""
import base64, hashlib, hmac, sys, time, urllib.parse

from proton import Message, SSLDomain
from proton.handlers import MessagingHandler
from proton.reactor import Container


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


class Device(MessagingHandler):
    def __init__(self, mode, port, cafile, hub, device, key, se, limit, ready=None):
        super().__init__()
        self.mode, self.port, self.cafile, self.hub, self.device = mode, port, cafile, hub, device
        self.audience = f"{hub}/devices/{device}"
        self.token = sas(key, self.audience, se)
        self.key = key
        self.limit = limit
        self.ready = ready
        self.c2d = None
        self.events = None
        self.sent = False
        self.opened_at = None
        self.out = []

    def on_start(self, event):
        ssl = SSLDomain(SSLDomain.MODE_CLIENT)
        ssl.set_trusted_ca_db(self.cafile)
        ssl.set_peer_authentication(SSLDomain.VERIFY_PEER_NAME)
        url = f"amqps://localhost:{self.port}"
        if self.mode == "plain":
            self.conn = event.container.connect(url, ssl_domain=ssl, sasl_enabled=True, allowed_mechs="PLAIN",
                                                user=f"{self.device}@sas.{self.hub}", password=self.token)
            self.open_events(event.container)
        else:
            self.conn = event.container.connect(url, ssl_domain=ssl, sasl_enabled=True, allowed_mechs="ANONYMOUS")
            self.cbs_out = event.container.create_sender(self.conn, "$cbs")
            self.cbs_in = event.container.create_receiver(self.conn, "$cbs", name="cbs-reply")
        event.container.schedule(self.limit, self)

    def on_timer_task(self, event):
        if self.mode == "refresh" and not getattr(self, "refreshed", False) and self.ready:
            self.refreshed = True
            props = {"operation": "put-token", "type": "servicebus.windows.net:sastoken", "name": self.audience}
            self.cbs_out.send(Message(id=2, reply_to="cbs-reply", properties=props,
                                      body=sas(self.key, self.audience, expiry(self.ready))))
            return
        self.out.append("link kept" if self.mode == "refresh" and self.opened_at else "timeout")
        self.conn.close()

    def open_events(self, container):
        if self.mode == "c2d":
            self.c2d = container.create_receiver(self.conn, f"/devices/{self.device}/messages/devicebound")
            return
        self.events = container.create_sender(self.conn, f"/devices/{self.device}/messages/events")

    def on_link_opened(self, event):
        if event.receiver is not None and event.receiver == getattr(self, "cbs_in", None):
            props = {"operation": "put-token", "type": "servicebus.windows.net:sastoken", "name": self.audience}
            self.cbs_out.send(Message(id=1, reply_to="cbs-reply", properties=props, body=self.token))
        if event.sender is not None and event.sender == self.events:
            self.opened_at = time.monotonic()
        if event.receiver is not None and event.receiver == self.c2d and self.ready:
            open(self.ready, "w").close()

    def on_message(self, event):
        if event.receiver == self.c2d:
            body = event.message.body
            self.out.append(f"c2d {body.decode() if isinstance(body, bytes) else body}")
            self.conn.close()
            return
        status = event.message.properties.get("status-code")
        self.out.append(f"status {status}")
        if status == 200 and self.events is None and self.c2d is None:
            self.open_events(event.container)
            if self.mode == "refresh":
                event.container.schedule(2, self)
        elif status == 200:
            pass
        else:
            self.conn.close()

    def on_sendable(self, event):
        if event.sender == self.events and not self.sent:
            self.sent = True
            event.sender.send(Message(body='{"t":21}'))

    def on_accepted(self, event):
        if event.link == self.events:
            self.out.append("accepted")
            if self.mode not in ("hold", "refresh"):
                self.conn.close()

    def on_rejected(self, event):
        self.out.append("rejected")
        self.conn.close()

    def on_link_error(self, event):
        if event.link == self.events and self.opened_at is not None:
            self.out.append(f"link closed after {time.monotonic() - self.opened_at:.1f} s")
        else:
            self.out.append("link refused")
        self.conn.close()

    def on_transport_error(self, event):
        cond = event.transport.condition
        self.out.append("sasl failed" if cond and "unauthorized" in (cond.name or "") else f"transport error {cond}")

    def on_connection_closed(self, event):
        event.container.stop()

    def on_disconnected(self, event):
        event.container.stop()


def main(argv):
    mode, port, cafile, hub, device, key, se = argv[1:8]
    limit = float(argv[8]) if len(argv) > 8 else 10
    d = Device(mode, int(port), cafile, hub, device, key, expiry(se), limit, argv[9] if len(argv) > 9 else None)
    c = Container(d)
    c.run()
    print(", ".join(d.out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
