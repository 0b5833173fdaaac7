inspec data/x.pem
