probe --targets data/targets_unknown_key.jsonl --at 2026-01-02T00:00:00Z --store data/g2_ms2017.pem --format jsonl
