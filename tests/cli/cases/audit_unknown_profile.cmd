audit --at 2024-06-01T00:00:00Z --profile no-such-profile data/certifi-2020.06.20.pem
