rehearse nofleet.json --target lab:
