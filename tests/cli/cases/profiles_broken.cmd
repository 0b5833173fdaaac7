profiles data/profiles/broken_rules.json
