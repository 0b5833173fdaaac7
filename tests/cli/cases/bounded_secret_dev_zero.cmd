inspect --password-file /dev/zero data/digicert_global_root_g2.pem
