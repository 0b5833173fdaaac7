package com.fleet.hub

import okhttp3.CertificatePinner
import okhttp3.OkHttpClient
import java.util.concurrent.TimeUnit

class HubApi(private val token: String) {

    companion object {
        private const val TIMEOUT_S = 15L
        const val LEGACY_ISSUER_PIN = "sha256/ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ="
    }

    private val pinner = CertificatePinner.Builder()
        .add(Pins.HUB_HOST, Pins.ISSUING_CA)
        .add(Pins.HUB_HOST, Pins.BACKUP_ROOT)
        .add(Pins.HUB_HOST, LEGACY_ISSUER_PIN)
        .build()

    val client: OkHttpClient = OkHttpClient.Builder()
        .certificatePinner(pinner)
        .connectTimeout(TIMEOUT_S, TimeUnit.SECONDS)
        .addInterceptor { chain ->
            chain.proceed(chain.request().newBuilder().header("Authorization", token).build())
        }
        .build()
}
