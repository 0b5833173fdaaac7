audit --color=sometimes data/g2_ms2017.pem
