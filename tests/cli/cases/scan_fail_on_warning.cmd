scan --fail-on warning --at 2026-01-02T00:00:00Z data/scan/fire/agent.toml
