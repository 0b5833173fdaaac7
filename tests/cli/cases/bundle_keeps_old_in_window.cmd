bundle --format pem -o - --from data/certifi-2025.01.31.pem --at 2024-03-01T00:00:00Z
