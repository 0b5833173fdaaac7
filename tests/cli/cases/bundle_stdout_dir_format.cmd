bundle --format der-dir -o - --from data/certifi-2025.01.31.pem --at 2026-01-02T00:00:00Z
