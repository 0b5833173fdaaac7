#!/bin/sh
# heartbeat (gw-heartbeat.timer); the hub's roots, one file each, hashed by c_rehash
. /etc/gw/identity
exec mosquitto_pub -h "$HUB_HOST" -p 8883 -i "$DEVICE_ID" \
    -u "$HUB_HOST/$DEVICE_ID/?api-version=2021-04-12" -P "$SAS_TOKEN" \
    --capath /etc/gw/hub-ca.d \
    -t "devices/$DEVICE_ID/messages/events/" -m up -q 1
