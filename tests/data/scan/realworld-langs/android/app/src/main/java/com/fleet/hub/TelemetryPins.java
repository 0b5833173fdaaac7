package com.fleet.hub;

/** Pins for the telemetry endpoint, kept apart so the build can swap them per flavour. */
public final class TelemetryPins {
    private TelemetryPins() {}

    public static final String HOST = "telemetry.fleet.example.com";
    /** Baltimore CyberTrust Root public key. */
    public static final String ROOT_PIN = "sha256/Y9mvm0exBk1JoQ57f9Vm28jKo5lFm/woKcVxrYxu80o=";
}
