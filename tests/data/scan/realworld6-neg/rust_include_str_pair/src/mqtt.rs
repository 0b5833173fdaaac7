use rumqttc::{MqttOptions, TlsConfiguration, Transport};

const HUB_TRUST: &str = include_str!("../certs/hub-trust.pem");

pub fn options(host: &str, device_id: &str) -> MqttOptions {
    let mut opts = MqttOptions::new(device_id, host, 8883);
    opts.set_transport(Transport::Tls(TlsConfiguration::Simple {
        ca: HUB_TRUST.as_bytes().to_vec(),
        alpn: None,
        client_auth: Some((include_bytes!("../certs/device.pem").to_vec(), include_bytes!("../certs/device.key").to_vec())),
    }));
    opts
}
