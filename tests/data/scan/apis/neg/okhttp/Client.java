package com.example.telemetry;

import java.util.concurrent.TimeUnit;
import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;

/** Uses the platform trust store: no pins. */
public final class Client {
    public static OkHttpClient create() {
        return new OkHttpClient.Builder()
                .certificatePinner(CertificatePinner.DEFAULT)
                .connectTimeout(30, TimeUnit.SECONDS)
                .build();
    }

    static java.util.List<String> hosts() {
        java.util.List<String> v = new java.util.ArrayList<>();
        v.add("contoso-hub.azure-devices.net");
        return v;
    }
}
