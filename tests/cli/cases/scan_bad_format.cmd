scan --format xml data/scan/fire
