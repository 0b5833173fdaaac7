audit --at 2026-01-01T00:00:00Z --system-root data/audit/sysroot
