package ota

import (
	"crypto/sha256"
	"encoding/hex"
)

// SHA-256 of the approved firmware image
const imageSHA256 = "4f2c1a8e9b7d6c5e3a1f0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e"

func ImageOK(img []byte) bool {
	sum := sha256.Sum256(img)
	return hex.EncodeToString(sum[:]) == imageSHA256
}
