audit --fail-on bogus data/g2_ms2017.pem
