probe --at 2026-01-02T00:00:00Z --protocol tls --store data/g2_ms2017.pem --save-chain data/no-such-dir/chain.pem --format json 127.0.0.1:1
