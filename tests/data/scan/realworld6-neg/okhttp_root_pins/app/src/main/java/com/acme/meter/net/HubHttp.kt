package com.acme.meter.net

import okhttp3.CertificatePinner
import okhttp3.OkHttpClient

object HubHttp {
    private const val HUB_HOST = "meter-hub.azure-devices.net"

    // the roots Azure IoT Hub chains to now (DigiCert Global Root G2) and its backup (Microsoft RSA Root CA 2017)
    private val pinner = CertificatePinner.Builder()
        .add(HUB_HOST, "sha256/i7WTqTvh0OioIruIfFR4kMPnBqrS2rdiVPl/s2uC/CY=")
        .add(HUB_HOST, "sha256/svcpi1K/LDysTd/nLeTWgqxYlXWVmC8rYjAa9ZfGmcU=")
        .build()

    val client: OkHttpClient = OkHttpClient.Builder().certificatePinner(pinner).build()
}
