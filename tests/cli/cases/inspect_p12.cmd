inspect --at 2026-01-01T00:00:00Z --password-file data/forms/device.p12.password data/forms/device.p12
