package com.acme.meter.net

import java.util.concurrent.TimeUnit
import okhttp3.CertificatePinner
import okhttp3.OkHttpClient

object HubHttp {
    private const val HUB_HOST = "meter-hub.azure-devices.net"

    // pinned to the hub's root key so that no other CA can stand in for the hub
    private val pinner = CertificatePinner.Builder()
        .add(HUB_HOST, "sha256/Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=")
        .build()

    val client: OkHttpClient = OkHttpClient.Builder()
        .certificatePinner(pinner)
        .connectTimeout(20, TimeUnit.SECONDS)
        .build()
}
