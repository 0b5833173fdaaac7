/* Symmetric keys of the device (DPS group enrollment derives them); base64 of 32 bytes. */
const char device_primary_key[] = "q1Ls0XmFk3Vd9yP2bHc7Tz8nWe4RjKu6AoGiYtBxSfE=";
const char device_secondary_key[] = "V7dPq2LsK9aX4mZt1RcWbN8yGe3HoJuF6iQkS0vTrlA=";
