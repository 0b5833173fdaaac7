inspect --known-only --at 2023-06-01T00:00:00Z data/certifi-2020.04.05.2.pem
