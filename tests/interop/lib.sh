# lib.sh: shared helpers for the interop tests. Sourced; the test sets $scratch first.
# Debian's own "$PY" starts in milliseconds; a version manager's shim on PATH can take a second.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

fail() { echo "FAIL: $*"; exit 1; }

# A free TCP port on loopback (bind port 0 and let go: a small race, retried by callers' readiness checks).
free_port() {
  "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# Waits until something accepts TCP on 127.0.0.1:$1 (at most ~10 s).
wait_port() {
  i=0
  while [ $i -lt 100 ]; do
    if "$PY" -c "import socket,sys; socket.create_connection(('127.0.0.1', $1), 0.2).close()" 2>/dev/null; then
      return 0
    fi
    sleep 0.1
    i=$((i + 1))
  done
  return 1
}

# Processes started by the test; all stopped on exit.
PIDS=""
stop_all() {
  for p in $PIDS; do kill "$p" 2>/dev/null || true; done
  for p in $PIDS; do wait "$p" 2>/dev/null || true; done
}

# A small PKI made with openssl at test time (EC P-256: fast): root -> intermediate -> leaf for localhost,
# 127.0.0.1 and *.azure-devices.net; another root; an expired leaf. Files in $1.
make_pki() {
  d=$1
  mkdir -p "$d"
  (
    cd "$d" || exit 1
    cat >ext.cnf <<'CNF'
[ca]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, DNS:*.azure-devices.net, IP:127.0.0.1
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
    key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
    key root.key; key other.key; key int.key; key leaf.key
    openssl req -x509 -new -key root.key -subj "/CN=rootshift interop root" -days 3650 -sha256 \
      -extensions ca -config ext.cnf -out root.pem 2>/dev/null
    openssl req -x509 -new -key other.key -subj "/CN=rootshift other root" -days 3650 -sha256 \
      -extensions ca -config ext.cnf -out other.pem 2>/dev/null
    openssl req -new -key int.key -subj "/CN=rootshift interop intermediate" -out int.csr 2>/dev/null
    openssl x509 -req -in int.csr -CA root.pem -CAkey root.key -CAcreateserial -days 3000 -sha256 \
      -extfile ext.cnf -extensions int -out int.pem 2>/dev/null
    openssl req -new -key leaf.key -subj "/CN=localhost" -out leaf.csr 2>/dev/null
    openssl x509 -req -in leaf.csr -CA int.pem -CAkey int.key -CAcreateserial -days 2000 -sha256 \
      -extfile ext.cnf -extensions leaf -out leaf.pem 2>/dev/null
    cat leaf.pem int.pem >chain.pem
    chmod 644 ./*.pem ./*.key
  ) || fail "cannot make the test PKI"
}
