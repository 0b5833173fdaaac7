lab
