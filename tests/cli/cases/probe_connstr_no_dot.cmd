probe --at 2026-01-01T00:00:00Z --store data/digicert_global_root_g2.pem --connection-string HostName=localhost;DeviceId=d;SharedAccessKey=c2VjcmV0c2VjcmV0c2VjcmV0
