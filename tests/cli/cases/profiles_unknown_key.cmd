profiles data/profiles/unknown_key.json
