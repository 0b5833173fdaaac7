audit --format json MISSING
