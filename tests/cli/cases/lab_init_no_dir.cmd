lab init
