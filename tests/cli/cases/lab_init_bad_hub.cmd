lab init --hub Bad_Name x
