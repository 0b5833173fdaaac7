package com.contoso.gw.net;

import java.util.concurrent.TimeUnit;
import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;

public final class HubHttp {
    public static OkHttpClient build() {
        CertificatePinner pinner = new CertificatePinner.Builder()
                .add(HubPins.HOST, "sha256/aJfLgiqk2RiMTiftDuK1Y2Y68uYH6daftf7O6r4ccks=")
                .add(HubPins.HOST, HubPins.ISSUING_CA_02)
                .build();
        return new OkHttpClient.Builder()
                .certificatePinner(pinner)
                .connectTimeout(15, TimeUnit.SECONDS)
                .build();
    }
}
