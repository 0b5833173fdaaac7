#!/usr/bin/env python3
"""make.py: the self-made test PKI of tests/data/pki (python3-cryptography; run from this directory).

Copies of the real Azure names with our own keys, so that a test leaf can sit under twin intermediates the way
Azure's leaves do: one CA key ("Microsoft Azure RSA TLS Issuing CA 07") certified twice, by a "DigiCert Global Root
G2" look-alike (ica07_xsign.pem) and by a "Microsoft RSA Root Certificate Authority 2017" look-alike (ica07.pem).
The keys are thrown away; the certificates are committed. Running it again makes new keys (and new thumbprints).
"""
import datetime as dt

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def name(*parts):
    oids = {"C": NameOID.COUNTRY_NAME, "O": NameOID.ORGANIZATION_NAME, "OU": NameOID.ORGANIZATIONAL_UNIT_NAME,
            "CN": NameOID.COMMON_NAME, "L": NameOID.LOCALITY_NAME, "ST": NameOID.STATE_OR_PROVINCE_NAME}
    return x509.Name([x509.NameAttribute(oids[k], v) for k, v in parts])


def day(s):
    return dt.datetime.fromisoformat(s).replace(tzinfo=dt.timezone.utc)


G2 = name(("C", "US"), ("O", "DigiCert Inc"), ("OU", "www.digicert.com"), ("CN", "DigiCert Global Root G2"))
MS = name(("C", "US"), ("O", "Microsoft Corporation"), ("CN", "Microsoft RSA Root Certificate Authority 2017"))
ICA = name(("C", "US"), ("O", "Microsoft Corporation"), ("CN", "Microsoft Azure RSA TLS Issuing CA 07"))
LEAF = name(("C", "US"), ("ST", "WA"), ("L", "Redmond"), ("O", "Microsoft Corporation"), ("CN", "*.azure-devices.net"))


def cert(subject, key, issuer, ikey, start, end, ca, pathlen=None, eku=None, san=None, md=hashes.SHA256()):
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(day(start)).not_valid_after(day(end)))
    b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=pathlen), critical=True)
    b = b.add_extension(x509.KeyUsage(digital_signature=True, key_encipherment=not ca, content_commitment=False,
                                      data_encipherment=False, key_agreement=False, key_cert_sign=ca,
                                      crl_sign=ca, encipher_only=False, decipher_only=False), critical=True)
    b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if ikey is not key:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey.public_key()), critical=False)
    if eku:
        b = b.add_extension(x509.ExtendedKeyUsage(eku), critical=False)
    if san:
        b = b.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in san]), critical=False)
    return b.sign(ikey, md)


def write(fname, *certs):
    with open(fname, "wb") as f:
        for c in certs:
            f.write(c.public_bytes(serialization.Encoding.PEM))


def rsa_key(bits=2048):
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


server = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
g2k, msk, icak, leafk = rsa_key(), rsa_key(4096), rsa_key(), rsa_key()
g2 = cert(G2, g2k, G2, g2k, "2013-08-01", "2038-01-15", True)
ms = cert(MS, msk, MS, msk, "2019-12-18", "2042-07-18", True, md=hashes.SHA384())
ica_xsign = cert(ICA, icak, G2, g2k, "2023-06-08", "2026-08-25", True, 0, server, md=hashes.SHA384())
ica = cert(ICA, icak, MS, msk, "2023-06-08", "2028-05-25", True, 0, server, md=hashes.SHA384())
hosts = ["*.azure-devices.net", "azure-devices.net"]
leaf = cert(LEAF, leafk, ICA, icak, "2025-03-01", "2026-02-28", False, eku=server, san=hosts, md=hashes.SHA384())
leaf2026 = cert(LEAF, leafk, ICA, icak, "2026-06-01", "2027-05-31", False, eku=server, san=hosts, md=hashes.SHA384())
client = cert(LEAF, leafk, ICA, icak, "2025-03-01", "2026-02-28", False,
              eku=[ExtendedKeyUsageOID.CLIENT_AUTH], san=hosts, md=hashes.SHA384())
eck = ec.generate_private_key(ec.SECP256R1())
ecleaf = cert(name(("CN", "ec.azure-devices.net")), eck, ICA, icak, "2025-03-01", "2026-02-28", False,
              eku=server, san=["ec.azure-devices.net"], md=hashes.SHA256())

write("root_g2.pem", g2)
write("root_ms2017.pem", ms)
write("ica07_xsign.pem", ica_xsign)
write("ica07.pem", ica)
write("twins_xsign_first.pem", ica_xsign, ica)
write("twins_ms2017_first.pem", ica, ica_xsign)
write("leaf.pem", leaf)
write("leaf_2026.pem", leaf2026)
write("leaf_client_only.pem", client)
write("leaf_ec.pem", ecleaf)
write("served_xsign.pem", leaf, ica_xsign)
write("served_ms2017.pem", leaf, ica)
