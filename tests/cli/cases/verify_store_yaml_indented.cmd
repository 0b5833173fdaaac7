verify --at 2026-01-01T00:00:00Z --chain data/digicert_global_root_g2.pem --store data/forms/configmap_indented.yaml
