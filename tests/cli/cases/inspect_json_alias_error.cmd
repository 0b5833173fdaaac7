inspect --json MISSING
