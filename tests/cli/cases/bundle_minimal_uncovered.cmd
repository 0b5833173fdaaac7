bundle --minimal --from data/certifi-2020.04.05.2.pem --at 2025-06-01 --format esp-idf -o /nonexistent/x509_crt_bundle
