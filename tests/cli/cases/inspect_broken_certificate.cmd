inspect data/broken/limbo-root-bad-key-usage.pem
