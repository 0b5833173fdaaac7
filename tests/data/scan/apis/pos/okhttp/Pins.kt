package com.example.gateway

import okhttp3.CertificatePinner
import okhttp3.OkHttpClient

const val HUB_HOST = "contoso-hub.azure-devices.net"
const val HUB_SPKI_PIN = "sha256/ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ="

fun hubClient(): OkHttpClient {
    val pinner = CertificatePinner.Builder()
        .add(HUB_HOST, HUB_SPKI_PIN)
        .build()
    return OkHttpClient.Builder().certificatePinner(pinner).build()
}
