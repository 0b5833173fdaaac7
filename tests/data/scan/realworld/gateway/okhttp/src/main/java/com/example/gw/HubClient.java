package com.example.gw;

import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;

public final class HubClient {
    private static final String HUB = "fleet-hub.azure-devices.net";

    public static OkHttpClient build() {
        CertificatePinner pinner = new CertificatePinner.Builder()
                .add(HUB, "sha256/Mfmoi2wKbxJCpI54JB7B+PPNkO8dRO51Bpbp+Gu4aFg=")
                .build();
        return new OkHttpClient.Builder().certificatePinner(pinner).build();
    }
}
