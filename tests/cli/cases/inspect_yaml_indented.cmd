inspect --at 2026-01-01T00:00:00Z --known-only data/forms/configmap_indented.yaml
