audit --at 2026-01-01T00:00:00Z data/forms/configmap_indented.yaml
