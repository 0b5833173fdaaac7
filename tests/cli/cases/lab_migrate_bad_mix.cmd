lab migrate --mix 101 x
