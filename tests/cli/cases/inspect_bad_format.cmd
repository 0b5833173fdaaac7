inspect --format xml data/digicert_global_root_g2.pem
