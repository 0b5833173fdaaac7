use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::{ClientConfig, RootCertStore};

static DEVICE_CERT_PEM: &[u8] = include_bytes!("../certs/device.pem");
static DEVICE_KEY_PEM: &[u8] = include_bytes!("../certs/device.key");

pub fn client_config() -> anyhow::Result<Arc<ClientConfig>> {
    let roots = RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let chain: Vec<CertificateDer<'static>> =
        rustls_pemfile::certs(&mut &DEVICE_CERT_PEM[..]).collect::<Result<_, _>>()?;
    let key: PrivateKeyDer<'static> = rustls_pemfile::private_key(&mut &DEVICE_KEY_PEM[..])?
        .ok_or_else(|| anyhow::anyhow!("no device key"))?;
    let config = ClientConfig::builder()
        .with_root_certificates(roots)
        .with_client_auth_cert(chain, key)?;
    Ok(Arc::new(config))
}
