#!/bin/sh
sha256sum -c firmware.sha256
curl --cacert /etc/ssl/certs/ca-bundle.crt https://example.com/firmware.bin -o fw.bin
echo "expected 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
