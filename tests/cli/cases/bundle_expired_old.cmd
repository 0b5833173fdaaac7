bundle --from data/certifi-2025.01.31.pem --at 2025-06-01 --keep-old --format pem -o /nonexistent/roots.pem
