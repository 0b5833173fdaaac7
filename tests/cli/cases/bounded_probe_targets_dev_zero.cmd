probe --targets /dev/zero --store data/digicert_global_root_g2.pem
