package com.fleet.uplink;

import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Properties;
import javax.net.ssl.X509TrustManager;

/** Accepts the server only when its issuing CA matches uplink.tls.pinned-sha256. */
final class PinningTrustManager implements X509TrustManager {
    private final X509TrustManager delegate;
    private final String pinnedIssuer;

    PinningTrustManager(X509TrustManager delegate, Properties props) {
        this.delegate = delegate;
        this.pinnedIssuer = props.getProperty("uplink.tls.pinned-sha256");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        delegate.checkServerTrusted(chain, authType);
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(chain[1].getEncoded());
            if (!HexFormat.of().formatHex(d).equalsIgnoreCase(pinnedIssuer)) {
                throw new CertificateException("issuer pin mismatch");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
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
