package com.acme.gw;

import java.io.FileInputStream;
import java.io.InputStream;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

public final class HubConnector {
    private static final String HUB_CA_PEM = "/opt/gw/certs/hub-root.pem";

    static SSLContext hubContext() throws Exception {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        X509Certificate ca;
        try (InputStream in = new FileInputStream(HUB_CA_PEM)) {
            ca = (X509Certificate) cf.generateCertificate(in);
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("hub-root", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLSv1.2");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    public static MqttClient connect(String host, String deviceId, String sas) throws Exception {
        MqttClient client = new MqttClient("ssl://" + host + ":8883", deviceId, new MemoryPersistence());
        MqttConnectOptions opts = new MqttConnectOptions();
        opts.setUserName(host + "/" + deviceId + "/?api-version=2021-04-12");
        opts.setPassword(sas.toCharArray());
        opts.setSocketFactory(hubContext().getSocketFactory());
        client.connect(opts);
        return client;
    }

    private HubConnector() {
    }
}
