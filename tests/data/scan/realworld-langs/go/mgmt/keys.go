package mgmt

// expectedRootKey is the SHA-256 of the management root's SubjectPublicKeyInfo, base64.
const expectedRootKey string = "i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY="
