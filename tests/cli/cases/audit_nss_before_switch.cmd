audit --at 2024-06-01T00:00:00Z data/nss-3.114-certdata.txt
