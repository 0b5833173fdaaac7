package com.fleet.hub;

import android.content.pm.PackageManager;
import android.content.pm.Signature;
import java.security.MessageDigest;

/** Refuses to run when the APK was re-signed (tamper check). */
final class SignatureCheck {
    private static final String RELEASE_SIGNER_SHA256 =
            "7d3a9c1e5f2b8046a1c3e5f7092b4d6f8a0c2e4f6183a5c7e9f1b3d5a7c9e0f2";

    static boolean isGenuine(PackageManager pm, String pkg) throws Exception {
        Signature[] sigs = pm.getPackageInfo(pkg, PackageManager.GET_SIGNATURES).signatures;
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        StringBuilder hex = new StringBuilder();
        for (byte b : md.digest(sigs[0].toByteArray())) hex.append(String.format("%02x", b));
        return hex.toString().equals(RELEASE_SIGNER_SHA256);
    }
}
