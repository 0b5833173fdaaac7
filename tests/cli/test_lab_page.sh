#!/bin/sh
# test_lab_page.sh BINARY SCRATCH: the lab's web page in headless Chromium, driven from outside through
# chromedriver (lib/lab_page_click.py, W3C WebDriver). With one device connected, it tries Migrate with a wrong
# token, then ticks the portal's two confirmation boxes and "disconnect", types the token, clicks Migrate, and the
# page must show the new chain and a chart whose last point fell from one device to none. Skipped (exit 77)
# without chromium and chromedriver, which scripts/install-deps.sh installs.
BIN=$1
S=$2
. ./cli/lib/lab.sh
command -v chromium >/dev/null && command -v chromedriver >/dev/null || { echo "skipping: no chromium or chromedriver"; exit 77; }
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
SUB_PID=
trap '[ -n "$SUB_PID" ] && kill "$SUB_PID" 2>/dev/null; stop_lab' EXIT INT TERM

"$BIN" lab init "$LAB" --seed page --at $AT --fast-keys >/dev/null || exit 2
"$BIN" lab device add "$LAB" dev1 >/dev/null || exit 2
KEY=$(device_key "$LAB" dev1)
start_lab "$LAB" "$S/serve.log" --at $AT || exit 1
TOKEN=$(json_field "$LAB/serve.json" admin_token)
timeout 60 mosquitto_sub -h localhost -p "$MQTT_PORT" --cafile "$LAB/bundles/old-only.pem" -V mqttv311 -i dev1 \
  -u "rootshift-lab.azure-devices.net/dev1/?api-version=2021-04-12" \
  -P "$(sas "$KEY" rootshift-lab.azure-devices.net/devices/dev1 1798761600)" \
  -t 'devices/dev1/messages/devicebound/#' >/dev/null 2>&1 &
SUB_PID=$!
i=0; while [ $i -lt 50 ] && ! "$BIN" lab status "$LAB" | grep -q 'connected devices: 1'; do sleep 0.1; i=$((i + 1)); done

curl -sS --max-time 10 "http://127.0.0.1:$ADMIN_PORT/" >"$S/page.html"
check "the page is served on the admin port" grep -q '<button id="migrate" disabled>Migrate to DigiCert Global G2</button>' "$S/page.html"
check "the page does not embed the admin token" not grep -qF "$TOKEN" "$S/page.html"
HOME=$S timeout 120 /usr/bin/python3 ./cli/lib/lab_page_click.py "http://127.0.0.1:$ADMIN_PORT/" "$TOKEN" "$S" \
  >"$S/driver.out" 2>&1
cat "$S/driver.out"
check "before: the old chain and one connected device" grep -q 'before hub=old connected=1 last-point-y=20.0' "$S/driver.out"
check "Migrate stays disabled until both boxes are ticked" sh -c "grep -q 'before the boxes: false' '$S/driver.out' &&
  grep -q 'after one box: false' '$S/driver.out' && grep -q 'after both boxes: true' '$S/driver.out'"
check "a wrong token is refused and nothing changes" grep -q 'wrong token: migrate refused (401) hub=old' "$S/driver.out"
check "after the click: the new chain, and the chart falls to zero" \
  grep -q 'after hub=new connected=0 last-point-y=155.0 msg=migrate-done' "$S/driver.out"
check "screenshots of both states are PNG images" sh -c "for f in '$S/before.png' '$S/after.png'; do
  [ \"\$(head -c 8 \"\$f\" | od -An -tx1 | tr -d ' ')\" = 89504e470d0a1a0a ] || exit 1; done"
check "the lab switched" sh -c "'$BIN' lab status '$LAB' | grep -q 'hub serves: new'"

echo "$fails failed"
[ $fails -eq 0 ]
