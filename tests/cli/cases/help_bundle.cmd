help bundle
