audit --fail-on note --at 2026-01-02T00:00:00Z data/forms/three_roots.pem
