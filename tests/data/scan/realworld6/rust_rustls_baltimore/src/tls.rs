use std::sync::Arc;

use rustls::pki_types::CertificateDer;
use rustls::{ClientConfig, RootCertStore};

/// The hub's CA, baked into the binary so that a unit fresh from the factory connects before anything is set up.
static HUB_CA_PEM: &[u8] = include_bytes!("../certs/hub-ca.pem");

pub fn client_config() -> anyhow::Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    let certs: Vec<CertificateDer<'static>> =
        rustls_pemfile::certs(&mut &HUB_CA_PEM[..]).collect::<Result<_, _>>()?;
    let (added, ignored) = roots.add_parsable_certificates(certs);
    log::debug!("hub trust: {added} added, {ignored} ignored");
    let config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok(Arc::new(config))
}
