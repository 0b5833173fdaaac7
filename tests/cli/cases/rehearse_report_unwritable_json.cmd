rehearse --demo --at 2026-01-02T00:00:00Z --report data/no-such-dir/report.html --format json
