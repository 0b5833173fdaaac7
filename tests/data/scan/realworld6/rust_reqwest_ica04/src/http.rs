use std::time::Duration;

use reqwest::{Certificate, Client};

pub fn build_client() -> reqwest::Result<Client> {
    // Trust only the hub's issuing CA: the OS store on the old gateway image is years out of date.
    let hub_ca = Certificate::from_pem(include_bytes!("../certs/azure-issuing-ca.pem"))?;
    Client::builder()
        .tls_built_in_root_certs(false)
        .add_root_certificate(hub_ca)
        .timeout(Duration::from_secs(30))
        .build()
}
