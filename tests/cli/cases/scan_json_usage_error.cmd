scan --format json --jobs 0 data/scan/quiet
