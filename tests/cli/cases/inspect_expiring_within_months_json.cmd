inspect --at 2037-12-01T00:00:00Z --expiring-within 2mo --format json data/digicert_global_root_g2.pem
