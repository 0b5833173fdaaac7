package com.contoso.gw.net;

/** Public-key pins of the IoT Hub chain (base64 SHA-256 of the SubjectPublicKeyInfo). */
final class HubPins {
    static final String HOST = "contoso-plant.azure-devices.net";
    static final String ISSUING_CA_02 = "sha256/1wMGTin0PoCN5O41h0+XIHXuzGRwDEa8ehHf7wSdSQE=";

    private HubPins() {}
}
