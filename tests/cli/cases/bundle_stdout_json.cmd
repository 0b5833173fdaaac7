bundle --format pem -o - --json --from data/certifi-2025.01.31.pem
