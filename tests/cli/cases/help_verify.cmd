help verify
