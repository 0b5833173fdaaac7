final class UplinkTrust implements javax.net.ssl.X509TrustManager {
    private final java.util.Properties props;
    UplinkTrust(java.util.Properties props) { this.props = props; }
    public void checkServerTrusted(java.security.cert.X509Certificate[] chain, String t)
            throws java.security.cert.CertificateException {
        String expectedPin = props.getProperty("uplink.pin");
        if (!expectedPin.equalsIgnoreCase(Hex.sha256(chain[1])))
            throw new java.security.cert.CertificateException("pin");
    }
    public void checkClientTrusted(java.security.cert.X509Certificate[] c, String t) {}
    public java.security.cert.X509Certificate[] getAcceptedIssuers() { return new java.security.cert.X509Certificate[0]; }
}
