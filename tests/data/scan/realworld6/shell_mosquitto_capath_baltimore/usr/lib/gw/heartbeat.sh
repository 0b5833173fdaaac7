#!/bin/sh
# publish the heartbeat (called by gw-heartbeat.timer)
. /etc/gw/identity
exec mosquitto_pub -h "$HUB_HOST" -p 8883 -V mqttv311 \
    -i "$DEVICE_ID" \
    -u "$HUB_HOST/$DEVICE_ID/?api-version=2021-04-12" -P "$SAS_TOKEN" \
    --capath /etc/gw/hub-ca.d \
    -t "devices/$DEVICE_ID/messages/events/" \
    -m "{\"uptime\": $(cut -d' ' -f1 /proc/uptime)}" -q 1
