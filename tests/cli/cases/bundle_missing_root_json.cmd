bundle --from data/certifi-2020.04.05.2.pem --at 2025-06-01 --format pem -o /nonexistent/roots.pem --json
