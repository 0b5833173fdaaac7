scan --at=2026-01-01T00:00:00Z --format sarif data/scan/realworld/arduino data/scan/realworld/espidf data/scan/realworld/zephyr data/scan/realworld/gateway/curl
