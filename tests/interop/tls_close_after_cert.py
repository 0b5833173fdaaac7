#!/usr/bin/python3
"""tls_close_after_cert.py PORT: a TLS client that reads the server's first flight (its certificate included) and
closes the TCP connection without sending an alert, as some embedded TLS stacks do when they reject the chain.
Exit 0 when the server's flight came."""
import socket, ssl, sys, time

ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(inc, out, server_hostname="localhost")
try:
    tls.do_handshake()
except ssl.SSLWantReadError:
    pass
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
s.sendall(out.read())
got, end = b"", time.monotonic() + 3
s.settimeout(0.3)
while time.monotonic() < end and len(got) < 1000:  # the chain is a few kilobytes
    try:
        d = s.recv(65536)
    except socket.timeout:
        if got:
            break
        continue
    if not d:
        break
    got += d
s.close()
sys.exit(0 if len(got) > 1000 else 1)
