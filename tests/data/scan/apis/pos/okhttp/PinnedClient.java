package com.example.telemetry;

import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;

/** Uploads telemetry to the IoT hub's HTTPS endpoint. */
public final class PinnedClient {
    private static final String HUB = "contoso-hub.azure-devices.net";

    public static OkHttpClient create() {
        CertificatePinner pinner = new CertificatePinner.Builder()
                .add(HUB, "sha256/ZkWBotC4nL+Ba/kXaVPx7TpoRSF9uwxEAuufz67J7sQ=")
                .build();
        return new OkHttpClient.Builder().certificatePinner(pinner).build();
    }
}
