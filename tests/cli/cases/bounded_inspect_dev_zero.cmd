inspect /dev/zero
