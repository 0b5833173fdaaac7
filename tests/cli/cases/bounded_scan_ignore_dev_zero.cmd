scan --ignore-file /dev/zero data/scan
