use std::time::Duration;

use rumqttc::{AsyncClient, EventLoop, MqttOptions, TlsConfiguration, Transport};

pub fn connect(host: &str, device_id: &str, sas: &str) -> (AsyncClient, EventLoop) {
    let mut opts = MqttOptions::new(device_id, host, 8883);
    opts.set_keep_alive(Duration::from_secs(240));
    opts.set_credentials(format!("{host}/{device_id}/?api-version=2021-04-12"), sas);
    opts.set_transport(Transport::Tls(TlsConfiguration::Simple {
        ca: include_bytes!("../certs/hub-root.pem").to_vec(),
        alpn: None,
        client_auth: None,
    }));
    AsyncClient::new(opts, 10)
}
