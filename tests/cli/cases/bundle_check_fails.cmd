bundle --check data/certifi-2020.04.05.2.pem --at 2025-06-01
