probe --targets data --store data/digicert_global_root_g2.pem
