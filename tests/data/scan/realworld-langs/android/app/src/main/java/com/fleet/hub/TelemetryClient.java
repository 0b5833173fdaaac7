package com.fleet.hub;

import okhttp3.CertificatePinner;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

import java.io.IOException;

public class TelemetryClient {
    private final OkHttpClient http;

    public TelemetryClient() {
        CertificatePinner pinner = new CertificatePinner.Builder()
                .add(TelemetryPins.HOST, TelemetryPins.ROOT_PIN)
                .build();
        http = new OkHttpClient.Builder().certificatePinner(pinner).build();
    }

    public int post(String json) throws IOException {
        Request req = new Request.Builder()
                .url("https://" + TelemetryPins.HOST + "/v1/ingest")
                .post(okhttp3.RequestBody.create(json, okhttp3.MediaType.get("application/json")))
                .build();
        try (Response r = http.newCall(req).execute()) {
            return r.code();
        }
    }
}
