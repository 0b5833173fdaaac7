probe --at 2026-01-01T00:00:00Z --store data/digicert_global_root_g2.pem --dps --id-scope 0ne0
