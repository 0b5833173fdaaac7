"""hangup_server.py MODE PORT CERT KEY: TLS peers that end badly, on loopback, for the probe's closed-by-peer.

MODE fin:     completes the TLS handshake, then sends FIN (shutdown(SHUT_WR) without close_notify), reads and
              drops what the client sends, and closes when it is done.
MODE rst:     completes the TLS handshake, then resets the connection (SO_LINGER 0, then close: an RST).
MODE silent:  accepts and never speaks (no TLS at all).
MODE garbage: accepts and sends bytes that are not TLS.
Serves connections for at most 60 seconds, then exits.
"""
import socket, ssl, struct, sys, threading, time

mode, port, cert, key = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
ctx.load_cert_chain(cert, key)
held = []


def serve(conn):
    try:
        conn.settimeout(5)
        if mode == "silent":
            held.append(conn)  # kept open, never written to, until the server ends
            return
        if mode == "garbage":
            conn.sendall(b"\x00garbage, not TLS\r\n" * 64)
            time.sleep(0.5)
            conn.close()
            return
        tls = ctx.wrap_socket(conn, server_side=True)  # returns once the handshake is complete
        if mode == "rst":
            tls.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            tls.close()
            return
        tls.shutdown(socket.SHUT_WR)  # SSLSocket.shutdown drops the TLS layer first: a plain FIN
        while tls.recv(4096):
            pass
        tls.close()
    except (OSError, ssl.SSLError):
        pass


srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", port))
srv.listen(64)
srv.settimeout(1)
end = time.time() + 60
while time.time() < end:
    try:
        c, _ = srv.accept()
    except socket.timeout:
        continue
    threading.Thread(target=serve, args=(c,), daemon=True).start()
