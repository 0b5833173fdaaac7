bundle --format pem -o data/no-such-dir/out.pem --from data/certifi-2025.01.31.pem --at 2026-01-02T00:00:00Z --format json
