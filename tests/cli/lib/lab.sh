# lib/lab.sh: helpers for the lab's script tests (sourced). Every test starts its own lab on free loopback ports
# and stops it on exit; nothing depends on the network, the date or the host's trust store.

# sas KEY_B64 SR EXPIRY: a SAS token computed with the openssl command, independently of librootshift.
sas() {
  _hex=$(printf '%s' "$1" | base64 -d | od -An -tx1 | tr -d ' \n')
  _sig=$(printf '%s\n%s' "$2" "$3" | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$_hex" -binary | base64)
  _sig=$(printf '%s' "$_sig" | sed 's/+/%2B/g; s/\//%2F/g; s/=/%3D/g')
  printf 'SharedAccessSignature sr=%s&sig=%s&se=%s' "$2" "$_sig" "$3"
}

# device_key DIR NAME: the key from the 0600 connection string file.
device_key() {
  sed 's/.*SharedAccessKey=\([^;]*\);.*/\1/' "$1/devices/$2.connstr"
}

# json_field FILE KEY: a number or string field of a flat JSON file.
json_field() {
  sed -n "s/.*\"$2\": *\"\{0,1\}\([^\",]*\)\"\{0,1\}.*/\1/p" "$1" | head -n 1
}

# start_lab DIR LOG [ARGS...]: starts `lab serve` on free ports and waits for serve.json; sets LAB_PID and ports.
# The events go to LOG, stderr to LOG.err.
start_lab() {
  _dir=$1 _log=$2
  shift 2
  rm -f "$_dir/serve.json"
  "$BIN" lab serve "$_dir" --mqtt-port 0 --https-port 0 --amqp-port 0 --ws-port 0 --admin-port 0 "$@" >"$_log" 2>"$_log.err" &
  LAB_PID=$!
  wait_lab "$_dir" "$_log.err"
}

# wait_lab DIR ERRLOG: after `lab serve DIR ... &` (LAB_PID set), waits for serve.json and sets the ports.
wait_lab() {
  _dir=$1 _log=$2
  _i=0
  while [ ! -s "$_dir/serve.json" ]; do
    _i=$((_i + 1))
    if [ $_i -gt 100 ] || ! kill -0 "$LAB_PID" 2>/dev/null; then
      echo "lab did not start:"; cat "$_log"; return 1
    fi
    sleep 0.1
  done
  MQTT_PORT=$(json_field "$_dir/serve.json" mqtt_port)
  HTTPS_PORT=$(json_field "$_dir/serve.json" https_port)
  AMQP_PORT=$(json_field "$_dir/serve.json" amqp_port)
  WS_PORT=$(json_field "$_dir/serve.json" ws_port)
  ADMIN_PORT=$(json_field "$_dir/serve.json" admin_port)
}

# stop_lab: SIGTERM, then wait (bounded) for a clean exit; returns the server's exit code.
stop_lab() {
  [ -n "$LAB_PID" ] || return 0
  kill -TERM "$LAB_PID" 2>/dev/null
  _i=0
  while kill -0 "$LAB_PID" 2>/dev/null && [ $_i -lt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
  if kill -0 "$LAB_PID" 2>/dev/null; then kill -KILL "$LAB_PID"; wait "$LAB_PID" 2>/dev/null; LAB_PID=; return 1; fi
  wait "$LAB_PID"
  _rc=$?
  LAB_PID=
  return $_rc
}

# new_lab SEED [DEVICE...]: a fresh lab in $LAB (fast keys, made at $AT) with these devices, each key in
# KEY_DEVICE ('-' as '_'); CA is its old-only bundle; and the device pub() publishes from: the first, or dev1.
new_lab() {
  "$BIN" lab init "$LAB" --seed "$1" --at "$AT" --fast-keys >/dev/null || return 2
  shift
  for _d; do
    "$BIN" lab device add "$LAB" "$_d" >/dev/null || return 2
    eval "KEY_$(printf '%s' "$_d" | tr - _)=\$(device_key \"\$LAB\" \"\$_d\")"
  done
  CA=$LAB/bundles/old-only.pem
  PUB_DEV=${1:-dev1}
}

# pub: one telemetry message from new_lab's first device (mqtt_pub).
pub() { eval "mqtt_pub \"\$PUB_DEV\" \"\$KEY_$(printf '%s' "$PUB_DEV" | tr - _)\""; }

# mqtt_pub DEV KEY: one telemetry message from DEV at QoS 1 with mosquitto_pub (a client the project did not
# write), trusting $CA, bounded in time; its output in $S/pub.out.
mqtt_pub() {
  timeout 10 mosquitto_pub -h localhost -p "$MQTT_PORT" --cafile "$CA" -V mqttv311 -i "$1" \
    -u "rootshift-lab.azure-devices.net/$1/?api-version=2021-04-12" \
    -P "$(sas "$2" "rootshift-lab.azure-devices.net/devices/$1" 1798761600)" \
    -t "devices/$1/messages/events/" -m '{"t":1}' -q 1 >"$S/pub.out" 2>&1
}

# Debian's Python (its modules load there) and the hostile clients of lib/hostile.py.
PY=/usr/bin/python3
[ -x $PY ] || PY=python3
HOSTILE="$PY ./cli/lib/hostile.py"

fails=0
ok() { echo "ok   $*"; }
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { _what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$_what"; else fail "$_what"; fi; }
not() { ! "$@"; }
