#!/usr/bin/env python3
"""Regenerate profiles/*.json from the public certificates in ../shared/corpus.

The JSON files are the source of truth and are committed; this script only saves typing the
fingerprints. It needs python3-cryptography. Facts and sources: ../shared/docs/azure-iot-facts.md.
Usage: tools/mkprofile.py CORPUS_DIR OUT_DIR
"""
import hashlib, json, sys, os
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

def load(corpus, rel):
    pem = open(os.path.join(corpus, rel), "rb").read()
    c = x509.load_pem_x509_certificate(pem)
    der = c.public_bytes(Encoding.DER)
    spki = c.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return {
        "sha1": hashlib.sha1(der).hexdigest(),
        "sha256": hashlib.sha256(der).hexdigest(),
        "spki_sha256": hashlib.sha256(spki).hexdigest(),
        "subject": c.subject.rfc4514_string(),
        "issuer": c.issuer.rfc4514_string(),
        "not_before": c.not_valid_before_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "not_after": c.not_valid_after_utc.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "pem": pem.decode().strip() + "\n",
        "origin": "shared/corpus/" + rel,
    }

def cert(corpus, rel, **kw):
    d = {"id": kw.pop("id")}
    d.update(kw)
    d.update(load(corpus, rel))
    return d

DOCS = "https://learn.microsoft.com/azure/iot-hub/migrate-tls-certificate"
CADETAILS = "https://learn.microsoft.com/azure/security/fundamentals/azure-ca-details"

def azure(corpus):
    R, I = "root", "intermediate"
    certs = [
        cert(corpus, "roots/baltimore_cybertrust_root.pem", id="baltimore-cybertrust-root",
             name="Baltimore CyberTrust Root", kind=R, role="old",
             summary="the old Azure IoT Hub and DPS root, replaced in 2023-2024; expired 2025-05-12"),
        cert(corpus, "roots/digicert_global_root_g2.pem", id="digicert-global-root-g2",
             name="DigiCert Global Root G2", kind=R, role="new",
             summary="the root Azure IoT Hub and DPS moved to in 2023"),
        cert(corpus, "roots/microsoft_rsa_root_ca_2017.pem", id="microsoft-rsa-root-ca-2017",
             name="Microsoft RSA Root Certificate Authority 2017", kind=R, role="backup",
             summary="the backup Azure root every device should also trust (RSA-4096, needs SHA-384)"),
        cert(corpus, "roots/digicert_global_root_g3.pem", id="digicert-global-root-g3",
             name="DigiCert Global Root G3", kind=R, role="ecc",
             summary="the ECC root behind Azure IoT Hub's ECC server certificates"),
        cert(corpus, "roots/microsoft_ecc_root_ca_2017.pem", id="microsoft-ecc-root-ca-2017",
             name="Microsoft ECC Root Certificate Authority 2017", kind=R, role="ecc",
             summary="the backup ECC root for Azure's ECC server certificates"),
        cert(corpus, "roots/digicert_global_root_ca.pem", id="digicert-global-root-ca",
             name="DigiCert Global Root CA", kind=R, role="china",
             summary="the Azure China root; browser stores distrust it in 2026"),
    ]
    def inter(rel, id, name, issuer, summary):
        return cert(corpus, rel, id=id, name=name, kind=I, role="served", issuers=[issuer], summary=summary)
    B, G2, MS = "baltimore-cybertrust-root", "digicert-global-root-g2", "microsoft-rsa-root-ca-2017"
    certs += [
        inter("intermediates/microsoft_rsa_tls_ca_1.pem", "microsoft-rsa-tls-ca-01", "Microsoft RSA TLS CA 01", B,
              "the intermediate Azure IoT Hub served under Baltimore (2020-2023); never pin it"),
        inter("intermediates/microsoft_rsa_tls_ca_2.pem", "microsoft-rsa-tls-ca-02", "Microsoft RSA TLS CA 02", B,
              "the intermediate Azure IoT Hub served under Baltimore (2020-2023); never pin it"),
        inter("intermediates/microsoft_it_tls_ca_1.pem", "microsoft-it-tls-ca-1", "Microsoft IT TLS CA 1", B,
              "a Baltimore-era Microsoft intermediate (2016-2024), the one the notice's 'RSA TLS CA 01' thumbprint names"),
        inter("intermediates/microsoft_it_tls_ca_2.pem", "microsoft-it-tls-ca-2", "Microsoft IT TLS CA 2", B,
              "a Baltimore-era Microsoft intermediate (2016-2024); never pin it"),
        inter("intermediates/microsoft_it_tls_ca_4.pem", "microsoft-it-tls-ca-4", "Microsoft IT TLS CA 4", B,
              "a Baltimore-era Microsoft intermediate (2016-2024); never pin it"),
        inter("intermediates/microsoft_it_tls_ca_5.pem", "microsoft-it-tls-ca-5", "Microsoft IT TLS CA 5", B,
              "a Baltimore-era Microsoft intermediate (2016-2024); never pin it"),
        inter("intermediates/microsoft_azure_tls_issuing_ca_01_xsign.pem", "microsoft-azure-tls-issuing-ca-01-g2",
              "Microsoft Azure TLS Issuing CA 01", G2,
              "a first-generation G2 intermediate (2020-2024, signed by DigiCert Global Root G2); never pin it"),
        inter("intermediates/microsoft_azure_tls_issuing_ca_05_xsign.pem", "microsoft-azure-tls-issuing-ca-05-g2",
              "Microsoft Azure TLS Issuing CA 05", G2,
              "a first-generation G2 intermediate (2020-2024, signed by DigiCert Global Root G2); never pin it"),
    ]
    for n in ("03", "04", "07", "08"):
        certs.append(inter("intermediates/microsoft_azure_rsa_tls_issuing_ca_%s_xsign.pem" % n,
                           "microsoft-azure-rsa-tls-issuing-ca-%s-g2" % n, "Microsoft Azure RSA TLS Issuing CA " + n, G2,
                           "a 2023 Azure intermediate, the twin signed by DigiCert Global Root G2; never pin it"))
        certs.append(inter("intermediates/microsoft_azure_rsa_tls_issuing_ca_%s.pem" % n,
                           "microsoft-azure-rsa-tls-issuing-ca-%s-ms2017" % n, "Microsoft Azure RSA TLS Issuing CA " + n, MS,
                           "a 2023 Azure intermediate, the twin signed by Microsoft RSA Root 2017; never pin it"))
    # Known only by thumbprint (azure-CA-details.md): no certificate in the corpus.
    for n, sha1, issuer in (("02", "e7eea674ca718e3befd90858e09f8372ad0ae2aa", G2),
                            ("06", "30e01761ab97e59a06b41ef20af6f2de7ef4f7b0", G2)):
        certs.append({"id": "microsoft-azure-tls-issuing-ca-%s-g2" % n, "name": "Microsoft Azure TLS Issuing CA " + n,
                      "kind": I, "role": "served", "issuers": [issuer], "sha1": sha1,
                      "not_after": "2024-06-27T23:59:59Z",
                      "summary": "a first-generation G2 intermediate (2020-2024); known by thumbprint only; never pin it",
                      "origin": CADETAILS})
    return {
        "schema": "rootshift/profile/1",
        "id": "azure-iot",
        "name": "Azure IoT Hub and DPS: Baltimore CyberTrust Root to DigiCert Global Root G2",
        "description": "Azure IoT Hub and the Device Provisioning Service moved their TLS server certificates from "
                       "Baltimore CyberTrust Root to DigiCert Global Root G2 in 2023-2024. Devices must trust "
                       "DigiCert Global Root G2 and Microsoft RSA Root Certificate Authority 2017 and must never pin "
                       "an intermediate or leaf certificate.",
        "sources": [DOCS, CADETAILS, "https://learn.microsoft.com/azure/iot-hub/iot-hub-tls-support"],
        "certificates": certs,
        "aliases": [{
            "sha1": "417e225037fbfaa4f95761d5ae729e1aea7e3a42",
            "documented_as": "Microsoft RSA TLS CA 01",
            "actual": "microsoft-it-tls-ca-1",
            "note": "the 2023 migration notice prints this thumbprint for Microsoft RSA TLS CA 01, but it is the "
                    "thumbprint of Microsoft IT TLS CA 1; the real Microsoft RSA TLS CA 01 is "
                    "703d7a8f0ebf55aaa59f98eaf4a206004eb2516a",
        }],
        "leaf_patterns": ["*.azure-devices.net", "*.azure-devices-provisioning.net"],
        "endpoints": [
            {"service": "iot-hub", "protocol": "mqtt", "host": "*.azure-devices.net", "port": 8883},
            {"service": "iot-hub", "protocol": "mqtt-ws", "host": "*.azure-devices.net", "port": 443, "path": "/$iothub/websocket"},
            {"service": "iot-hub", "protocol": "https", "host": "*.azure-devices.net", "port": 443},
            {"service": "iot-hub", "protocol": "amqp", "host": "*.azure-devices.net", "port": 5671},
            {"service": "dps", "protocol": "mqtt", "host": "global.azure-devices-provisioning.net", "port": 8883},
            {"service": "dps", "protocol": "https", "host": "global.azure-devices-provisioning.net", "port": 443},
            {"service": "iot-hub", "protocol": "mqtt", "host": "g2cert.azure-devices.net", "port": 8883, "test": True,
             "note": "the notice's IoT Hub test endpoint (TestDevice1, deliberately invalid key); may no longer resolve"},
            {"service": "dps", "protocol": "mqtt", "host": "g2-cert-dps.azure-devices-provisioning.net", "port": 8883,
             "test": True, "id_scope": "0ne002B1DF7", "registration_id": "abc",
             "note": "the notice's DPS test endpoint; may no longer resolve"},
        ],
        "rules": {
            "required": [G2],
            "recommended": [G2, MS],
            "old": [B],
            "never_pin": ["intermediate", "leaf"],
        },
        "timeline": [
            {"date": "2023-02-15T00:00:00Z", "event": "hub-migration-start", "text": "IoT Hub starts moving to DigiCert Global Root G2"},
            {"date": "2023-10-15T00:00:00Z", "event": "hub-migration-end", "text": "every IoT hub serves the DigiCert Global Root G2 chain"},
            {"date": "2024-01-15T00:00:00Z", "event": "dps-migration-start", "text": "DPS starts moving to DigiCert Global Root G2"},
            {"date": "2024-09-30T00:00:00Z", "event": "dps-migration-end", "text": "the migration is complete for IoT Hub, IoT Central and DPS"},
            {"date": "2025-05-12T23:59:00Z", "event": "old-root-expiry", "text": "Baltimore CyberTrust Root expires"},
        ],
        "migration_complete": "2024-09-30T00:00:00Z",
    }

def ica2026(corpus):
    G2, R = "digicert-global-root-g2", "microsoft-tls-rsa-root-g2"
    certs = [
        cert(corpus, "roots/digicert_global_root_g2.pem", id=G2, name="DigiCert Global Root G2", kind="root",
             role="new", summary="the root the 2026 Azure chain still ends at"),
        cert(corpus, "roots/microsoft_tls_rsa_root_g2.pem", id=R + "-self", name="Microsoft TLS RSA Root G2",
             kind="root", role="backup", summary="Microsoft's self-signed 2025 TLS root, the next hierarchy's own anchor"),
        # The corpus copy under intermediates/ is the self-signed root again; the G2-signed cross-certificate is
        # known by thumbprint (azure-iot-facts.md 1.3, "ICA Rotation 2026").
        {"id": R, "name": "Microsoft TLS RSA Root G2", "kind": "intermediate", "role": "served", "issuers": [G2],
         "sha1": "b5ee89e77326ab2bf1775bd99c19a28947ff8184", "not_after": "2029-06-19T00:00:00Z",
         "summary": "the 2026 rotation's G2-signed cross-certificate (a root's name on an intermediate); never pin it",
         "origin": CADETAILS},
    ]
    for n in ("02", "04"):
        certs.append(cert(corpus, "intermediates/microsoft_tls_g2_rsa_ca_ocsp_%s.pem" % n,
                          id="microsoft-tls-g2-rsa-ca-ocsp-" + n, name="Microsoft TLS G2 RSA CA OCSP " + n,
                          kind="intermediate", role="served", issuers=[R, R + "-self"],
                          summary="a 2026 issuing CA under Microsoft TLS RSA Root G2; never pin it"))
    return {
        "schema": "rootshift/profile/1",
        "id": "azure-ica-2026",
        "name": "Azure ICA rotation 2026: DigiCert Global Root G2 via Microsoft TLS RSA Root G2",
        "description": "Azure's 2026 intermediate rotation serves two RSA-4096 intermediates under DigiCert Global "
                       "Root G2: the G2-signed Microsoft TLS RSA Root G2 and a Microsoft TLS G2 RSA CA OCSP issuing "
                       "CA. Deeper, larger chains; the same root.",
        "sources": [CADETAILS],
        "certificates": certs,
        "aliases": [],
        "leaf_patterns": [],
        "endpoints": [],
        "rules": {"required": [G2], "recommended": [G2, R + "-self"], "old": [], "never_pin": ["intermediate", "leaf"]},
        "timeline": [],
    }

def main():
    corpus, out = sys.argv[1], sys.argv[2]
    for p in (azure(corpus), ica2026(corpus)):
        with open(os.path.join(out, p["id"] + ".json"), "w") as f:
            json.dump(p, f, indent=2)
            f.write("\n")

if __name__ == "__main__":
    main()
