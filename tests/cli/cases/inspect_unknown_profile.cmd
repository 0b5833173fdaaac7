inspect --profile nope data/digicert_global_root_g2.pem
