package com.contoso.gw;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Properties;
import javax.net.ssl.X509TrustManager;

final class PinningTrustManager implements X509TrustManager {
    private final X509TrustManager delegate;
    private final Properties props = new Properties();

    PinningTrustManager(X509TrustManager delegate) throws IOException {
        this.delegate = delegate;
        try (InputStream in = getClass().getResourceAsStream("/hub.properties")) {
            props.load(in);
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        String pinned = props.getProperty("hub.pin");
        String actual = sha256(chain[1]);
        if (!pinned.equalsIgnoreCase(actual)) {
            throw new CertificateException("issuer pin mismatch");
        }
    }

    private static String sha256(X509Certificate c) throws CertificateException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new CertificateException(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return delegate.getAcceptedIssuers();
    }
}
