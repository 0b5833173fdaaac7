audit --at yesterday data/certifi-2020.06.20.pem
