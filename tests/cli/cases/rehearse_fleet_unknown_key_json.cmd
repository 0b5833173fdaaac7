rehearse data/fleet/keep_alive_typo.json --lab data/no-such-lab --format json
