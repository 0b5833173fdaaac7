"""connect_proxy.py PORT: a minimal HTTP CONNECT proxy on loopback (RFC 9110 9.3.6) for the probe's --proxy
tests. It tunnels only to 127.0.0.1 and answers 502 when the target refuses; it serves for at most 60 seconds."""
import select, socket, sys, threading, time

port = int(sys.argv[1])


def pipe(a, b):
    end = time.time() + 30
    while time.time() < end:
        r, _, _ = select.select([a, b], [], [], 1)
        for s in r:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


def serve(c):
    try:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 8192:
            chunk = c.recv(4096)
            if not chunk:
                return
            head += chunk
        line = head.split(b"\r\n", 1)[0].decode()
        method, target, _ = line.split(" ", 2)
        host, tport = target.rsplit(":", 1)
        if method != "CONNECT":
            c.sendall(b"HTTP/1.1 405 Method Not Allowed\r\n\r\n")
            return
        try:
            up = socket.create_connection(("127.0.0.1", int(tport)), 5)
        except OSError:
            c.sendall(b"HTTP/1.1 502 Bad Gateway\r\n\r\n")
            return
        c.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
        pipe(c, up)
        up.close()
    except (OSError, ValueError):
        pass
    finally:
        c.close()


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
