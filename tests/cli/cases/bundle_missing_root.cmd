bundle --from data/certifi-2020.04.05.2.pem --at 2025-06-01 --format c-pem -o /nonexistent/certs.c
