package com.fleet.hub

/**
 * Public-key pins for the hub endpoints. Regenerate with
 * `openssl x509 -pubkey -noout | openssl pkey -pubin -outform der | openssl dgst -sha256 -binary | base64`.
 */
object Pins {
    const val HUB_HOST = "*.azure-devices.net"

    // Microsoft Azure RSA TLS Issuing CA 07
    const val ISSUING_CA = "sha256/Mfmoi2wKbxJCpI54JB7B+PPNkO8dRO51Bpbp+Gu4aFg="

    // backup: DigiCert Global Root G2
    const val BACKUP_ROOT = "sha256/i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY="
}
