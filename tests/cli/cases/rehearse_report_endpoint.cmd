rehearse data/fleet/keep_alive_typo.json --target 127.0.0.1:1 --at 2026-01-02T00:00:00Z --report data/no-such-dir/report.html
