probe --targets data/forms/empty.pem --format json
