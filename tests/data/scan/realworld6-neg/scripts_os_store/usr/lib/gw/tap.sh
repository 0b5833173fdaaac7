#!/bin/sh
exec mosquitto_sub -h mqtt.plant.local -p 8883 --capath /etc/ssl/certs -t 'plant/#' -v
