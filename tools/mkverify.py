#!/usr/bin/python3
"""mkverify.py: the fixtures of tests/data/verify/, one per rule of the path builder's policies (docs/verify.md).

Run from the repository root with Debian's python3-cryptography:  /usr/bin/python3 tools/mkverify.py
Every certificate is valid from 2025-01-01 to 2035-01-01 (tests pin --at 2026-01-01). Keys are thrown away; the
PEM files are committed, and running this again makes new keys. The rules follow x509-limbo's generators
(C2SP/x509-limbo limbo/testcases/webpki/, rfc5280/, cve.py); certificates that python3-cryptography refuses to
build (a duplicate extension) are made by re-signing an edited TBSCertificate.
"""
import datetime as dt
import ipaddress
import os

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OUT = "tests/data/verify"
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc)
END = dt.datetime(2035, 1, 1, tzinfo=dt.timezone.utc)
AT = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def name(cn):
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def p256():
    return ec.generate_private_key(ec.SECP256R1())


def ku(ca):
    return x509.KeyUsage(digital_signature=not ca, content_commitment=False, key_encipherment=False,
                         data_encipherment=False, key_agreement=False, key_cert_sign=ca, crl_sign=ca,
                         encipher_only=False, decipher_only=False)


def build(subject, key, issuer, ikey, ca, san=None, eku=(ExtendedKeyUsageOID.SERVER_AUTH,), aki=True, ski=True,
          nc=None, nc_critical=True, bc_critical=True, eku_critical=False, extra=(), serial=None, kus=None):
    """A certificate; san is a list of DNS names (str) or IP addresses (ipaddress objects)."""
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(key.public_key())
         .serial_number(serial or x509.random_serial_number()).not_valid_before(START).not_valid_after(END))
    b = b.add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=bc_critical)
    b = b.add_extension(kus if kus is not None else ku(ca), critical=True)
    if ski:
        b = b.add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    if aki:
        b = b.add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ikey.public_key()), critical=False)
    if eku and not ca:
        b = b.add_extension(x509.ExtendedKeyUsage(list(eku)), critical=eku_critical)
    if san:
        names = [x509.IPAddress(s) if not isinstance(s, str) else x509.DNSName(s) for s in san]
        b = b.add_extension(x509.SubjectAlternativeName(names), critical=False)
    if nc:
        b = b.add_extension(nc, critical=nc_critical)
    for ext, crit in extra:
        b = b.add_extension(ext, critical=crit)
    return b.sign(ikey, hashes.SHA256())


def der_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + der_len(len(body)) + body


def oid_der(dotted):
    """The content octets of an OBJECT IDENTIFIER."""
    arcs = [int(a) for a in dotted.split(".")]
    out = bytes([40 * arcs[0] + arcs[1]])
    for arc in arcs[2:]:
        chunk = [arc & 0x7f]
        arc >>= 7
        while arc:
            chunk.append(0x80 | (arc & 0x7f))
            arc >>= 7
        out += bytes(reversed(chunk))
    return out


def write(fname, *certs):
    with open(os.path.join(OUT, fname), "wb") as f:
        for c in certs:
            f.write(c.public_bytes(serialization.Encoding.PEM))


def crl(fname, issuer, ikey, revoked=(), number=1, number_critical=False, this=None, nxt=None, encoding="pem"):
    b = (x509.CertificateRevocationListBuilder().issuer_name(issuer)
         .last_update(this or AT - dt.timedelta(days=1)).next_update(nxt or AT + dt.timedelta(days=30)))
    if number is not None:
        b = b.add_extension(x509.CRLNumber(number), critical=number_critical)
    for serial in revoked:
        b = b.add_revoked_certificate(x509.RevokedCertificateBuilder().serial_number(serial)
                                      .revocation_date(AT - dt.timedelta(days=2)).build())
    c = b.sign(ikey, hashes.SHA256())
    with open(os.path.join(OUT, fname), "wb") as f:
        f.write(c.public_bytes(serialization.Encoding.PEM if encoding == "pem" else serialization.Encoding.DER))


def main():
    os.makedirs(OUT, exist_ok=True)
    rootk, icak = p256(), p256()
    ROOT, ICA = name("rootshift verify test root"), name("rootshift verify test ICA")
    root = build(ROOT, rootk, ROOT, rootk, True, aki=False)
    ica = build(ICA, icak, ROOT, rootk, True)
    write("root.pem", root)
    write("ica.pem", ica)

    def leaf(fname, cn="ok.example.com", san=("ok.example.com",), key=None, parent=(ICA, icak), **kw):
        k = key or p256()
        c = build(name(cn), k, parent[0], parent[1], False, san=list(san) if san else None, **kw)
        write(fname, c, ica) if parent[0] == ICA else write(fname, c)
        return c, k

    ok, _ = leaf("ok.pem")
    # Malformed (rfc5280.well-formed): a duplicate extension, an empty key usage, a SAN and an AIA that do not decode.
    k = p256()
    dup = build(name("dup.example.com"), k, ICA, icak, False, san=["dup.example.com"],
                extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55738.666.29"),
                                                   b"\x30\x11\x82\x0fdup.example.com"), False)])
    # The placeholder extension becomes a second subjectAltName: its OID is replaced and the TBSCertificate is
    # rebuilt around it and signed again.
    old = tlv(0x06, oid_der("1.3.6.1.4.1.55738.666.29"))
    tbs = dup.tbs_certificate_bytes
    ext_old = tlv(0x30, old + tlv(0x04, b"\x30\x11\x82\x0fdup.example.com"))
    ext_new = tlv(0x30, tlv(0x06, bytes.fromhex("551d11")) + tlv(0x04, b"\x30\x11\x82\x0fdup.example.com"))
    assert ext_old in tbs
    delta = len(ext_old) - len(ext_new)
    dupc = signed(rebuild_tbs(tbs, ext_old, ext_new, delta), icak)
    write("malformed_dup_ext.pem", dupc, ica)
    empty_ku = x509.UnrecognizedExtension(x509.ObjectIdentifier("2.5.29.15"), b"\x03\x01\x00")
    k = p256()
    c = (x509.CertificateBuilder().subject_name(name("ku.example.com")).issuer_name(ICA).public_key(k.public_key())
         .serial_number(x509.random_serial_number()).not_valid_before(START).not_valid_after(END)
         .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
         .add_extension(empty_ku, critical=True)
         .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(icak.public_key()), critical=False)
         .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
         .add_extension(x509.SubjectAlternativeName([x509.DNSName("ku.example.com")]), critical=False)
         .sign(icak, hashes.SHA256()))
    write("malformed_empty_ku.pem", c, ica)
    leaf("malformed_aia.pem", extra=[(x509.UnrecognizedExtension(
        x509.ObjectIdentifier("1.3.6.1.5.5.7.1.1"), b"malformed"), False)])
    leaf("malformed_san.pem", san=None, extra=[(x509.UnrecognizedExtension(
        x509.ObjectIdentifier("2.5.29.17"), b"\x30\x05\x82\x07abc"), False)])
    # A malformed root beside the good one: reported and skipped.
    bad_rootk = p256()
    bad_root = build(name("rootshift malformed root"), bad_rootk, name("rootshift malformed root"), bad_rootk, True,
                     aki=False, extra=[(x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.5.5.7.1.1"),
                                                                    b"malformed"), False)])
    write("store_malformed_and_good.pem", bad_root, root)

    # The key policy.
    leaf("key_rsa1024.pem", key=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    leaf("key_rsa2052.pem", key=rsa.generate_private_key(public_exponent=65537, key_size=2052))
    leaf("key_rsa2048.pem", key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    leaf("key_p192.pem", key=ec.generate_private_key(ec.SECP192R1()))
    leaf("key_p384.pem", key=ec.generate_private_key(ec.SECP384R1()))
    leaf("key_dsa.pem", key=dsa.generate_private_key(2048))

    # An EC key with explicit curve parameters (RFC 5480 2.1.1 forbids them): python3-cryptography cannot make
    # one, so the openssl command line makes the key, and its SubjectPublicKeyInfo replaces a placeholder's in a
    # leaf's TBSCertificate, which the ICA signs again.
    import subprocess
    spki = subprocess.run("openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout | "
                          "openssl pkey -pubout -outform DER", shell=True, check=True, capture_output=True).stdout
    assert b"\x06\x07\x2a\x86\x48\xce\x3d\x01\x01" in spki  # prime-field: the parameters are explicit
    placeholder = build(name("ok.example.com"), p256(), ICA, icak, False, san=["ok.example.com"], ski=False)
    items = tbs_items(placeholder.tbs_certificate_bytes)
    assert items[6][0] == 0x30 and items[7][0] == 0xa3
    items[6] = spki
    write("key_ec_explicit.pem", signed(tlv(0x30, b"".join(items)), icak), ica)

    # A v1 certificate (no version field, no extensions) and a serial number of zero: python3-cryptography makes
    # neither, so their TBSCertificates are edited and signed again.
    k = p256()
    base = (x509.CertificateBuilder().subject_name(name("ok.example.com")).issuer_name(ICA)
            .public_key(k.public_key()).serial_number(1).not_valid_before(START).not_valid_after(END)
            .sign(icak, hashes.SHA256()))
    tbs = base.tbs_certificate_bytes
    v3_serial1 = b"\xa0\x03\x02\x01\x02\x02\x01\x01"
    assert v3_serial1 in tbs
    write("webpki_v1.pem", signed(tbs_without_version(tbs), icak), ica)
    zero = build(name("ok.example.com"), p256(), ICA, icak, False, san=["ok.example.com"], serial=1)
    tbs = zero.tbs_certificate_bytes
    assert v3_serial1 in tbs
    write("webpki_serial_zero.pem", signed(tbs.replace(v3_serial1, v3_serial1[:-1] + b"\x00", 1), icak), ica)
    # A notBefore of month 13: the certificate parses, its validity cannot be read (rfc5280.well-formed).
    bad = build(name("ok.example.com"), p256(), ICA, icak, False, san=["ok.example.com"])
    tbs = bad.tbs_certificate_bytes
    assert tbs.count(b"\x17\x0d250101000000Z") == 1
    with open(os.path.join(OUT, "malformed_dates.pem"), "wb") as f:
        f.write(pem_of(signed_der(tbs.replace(b"\x17\x0d250101000000Z", b"\x17\x0d251301000000Z"), icak)) +
                ica.public_bytes(serialization.Encoding.PEM))

    # The Web PKI profile.
    leaf("webpki_no_aki.pem", aki=False)
    leaf("webpki_no_eku.pem", eku=None)
    leaf("webpki_anyeku.pem", eku=(ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.ANY_EXTENDED_KEY_USAGE))
    leaf("webpki_critical_eku.pem", eku_critical=True)
    leaf("webpki_cn_not_in_san.pem", cn="other.example.com")
    leaf("webpki_cn_ip_not_canonical.pem", cn="192.168.001.001", san=(ipaddress.ip_address("192.168.1.1"),))
    leaf("webpki_cn_ip_canonical.pem", cn="192.168.1.1", san=(ipaddress.ip_address("192.168.1.1"),))
    leaf("webpki_no_san.pem", san=None)
    leaf("webpki_wildcard_co_uk.pem", cn="*.co.uk", san=("*.co.uk",))
    leaf("webpki_wildcard_ok.pem", cn="*.example.com", san=("*.example.com",))
    icak2 = p256()
    ica_noski = build(name("rootshift ICA without SKI"), icak2, ROOT, rootk, True, ski=False)
    c = build(name("ok.example.com"), p256(), ica_noski.subject, icak2, False, san=["ok.example.com"])
    write("webpki_ica_no_ski.pem", c, ica_noski)
    icak3 = p256()
    ica_pc = build(name("rootshift ICA with non-critical PC"), icak3, ROOT, rootk, True, extra=[
        (x509.PolicyConstraints(require_explicit_policy=3, inhibit_policy_mapping=None), False)])
    c = build(name("ok.example.com"), p256(), ica_pc.subject, icak3, False, san=["ok.example.com"])
    write("webpki_ica_noncritical_pc.pem", c, ica_pc)
    icak4 = p256()
    ica_bc = build(name("rootshift ICA with non-critical BC"), icak4, ROOT, rootk, True, bc_critical=False)
    c = build(name("ok.example.com"), p256(), ica_bc.subject, icak4, False, san=["ok.example.com"])
    write("webpki_ica_noncritical_bc.pem", c, ica_bc)
    write("webpki_ca_as_leaf.pem", build(name("ca.example.com"), p256(), ROOT, rootk, True, san=["ca.example.com"]))
    rk = p256()
    RAKI = name("rootshift root with a foreign AKI")
    write("webpki_root_aki_mismatch.pem",
          x509.CertificateBuilder().subject_name(RAKI).issuer_name(RAKI).public_key(rk.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(START).not_valid_after(END)
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(ku(True), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(rk.public_key()), critical=False)
          .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(p256().public_key()), critical=False)
          .sign(rk, hashes.SHA256()))
    c = build(name("ok.example.com"), p256(), RAKI, rk, False, san=["ok.example.com"])
    write("webpki_root_aki_mismatch_leaf.pem", c)

    # Name constraints: through a wildcard (CVE-2025-61727), syntax, criticality.
    def nc_ica(fname_part, nc, critical=True):
        k = p256()
        i = build(name("rootshift NC ICA " + fname_part), k, ROOT, rootk, True, nc=nc, nc_critical=critical)
        return i, k

    i, k = nc_ica("excluded bar", x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.com")],
                                                       excluded_subtrees=[x509.DNSName("bar.example.com")]))
    c = build(name("*.example.com"), p256(), i.subject, k, False, san=["*.example.com"])
    write("nc_wildcard_excluded.pem", c, i)
    i, k = nc_ica("permitted foo", x509.NameConstraints(permitted_subtrees=[x509.DNSName("foo.example.com")],
                                                        excluded_subtrees=None))
    c = build(name("*.example.com"), p256(), i.subject, k, False, san=["*.example.com"])
    write("nc_wildcard_permitted_narrow.pem", c, i)
    i, k = nc_ica("excluded deep", x509.NameConstraints(permitted_subtrees=None,
                                                        excluded_subtrees=[x509.DNSName("a.b.example.com")]))
    c = build(name("*.example.com"), p256(), i.subject, k, False, san=["*.example.com"])
    write("nc_wildcard_excluded_deeper.pem", c, i)
    i, k = nc_ica("leading period", x509.NameConstraints(permitted_subtrees=[x509.DNSName(".example.com")],
                                                         excluded_subtrees=None))
    c = build(name("ok.example.com"), p256(), i.subject, k, False, san=["ok.example.com"])
    write("nc_leading_period.pem", c, i)
    i, k = nc_ica("non-critical", x509.NameConstraints(permitted_subtrees=[x509.DNSName("example.com")],
                                                       excluded_subtrees=None), critical=False)
    c = build(name("ok.example.com"), p256(), i.subject, k, False, san=["ok.example.com"])
    write("nc_noncritical.pem", c, i)

    # CRLs: the ICA's CRL revoking ok.pem's leaf; an empty one (PEM and DER); unusable ones.
    crl("crl_ica_revokes_ok.pem", ICA, icak, revoked=[ok.serial_number])
    crl("crl_ica_empty.pem", ICA, icak)
    crl("crl_ica_empty.der", ICA, icak, encoding="der")
    crl("crl_ica_bad_signature.pem", ICA, p256())
    crl("crl_ica_no_number.pem", ICA, icak, number=None)
    crl("crl_ica_expired.pem", ICA, icak, this=AT - dt.timedelta(days=60), nxt=AT - dt.timedelta(days=30))
    crl("crl_root_revokes_ica.pem", ROOT, rootk, revoked=[ica.serial_number])


def signed_der(tbs, ikey):
    """The DER Certificate of a TBSCertificate signed with an EC key (ecdsa-with-SHA256)."""
    sig = ikey.sign(tbs, ec.ECDSA(hashes.SHA256()))
    alg = tlv(0x30, tlv(0x06, bytes.fromhex("2a8648ce3d040302")))
    return tlv(0x30, tbs + alg + tlv(0x03, b"\x00" + sig))


def signed(tbs, ikey):
    return x509.load_der_x509_certificate(signed_der(tbs, ikey))


def pem_of(der):
    import base64
    b = base64.b64encode(der).decode()
    return ("-----BEGIN CERTIFICATE-----\n" + "\n".join(b[i:i + 64] for i in range(0, len(b), 64)) +
            "\n-----END CERTIFICATE-----\n").encode()


def tbs_items(tbs):
    def parse(buf, off):
        n = buf[off + 1]
        if n < 0x80:
            return off + 2, n
        k = n & 0x7f
        return off + 2 + k, int.from_bytes(buf[off + 2:off + 2 + k], "big")

    body, _ = parse(tbs, 0)
    items, off = [], body
    while off < len(tbs):
        start, n = parse(tbs, off)
        items.append(tbs[off:start + n])
        off = start + n
    return items


def tbs_without_version(tbs):
    """The TBSCertificate as X.509 v1: no [0] version, no [3] extensions."""
    return tlv(0x30, b"".join(i for i in tbs_items(tbs) if i[0] not in (0xa0, 0xa3)))


def rebuild_tbs(tbs, ext_old, ext_new, delta):
    """Replaces one Extension inside a TBSCertificate and fixes the lengths of the enclosing SEQUENCEs
    (extensions SEQUENCE, [3] EXPLICIT, TBSCertificate)."""
    def parse(buf, off):
        tag, n = buf[off], buf[off + 1]
        if n < 0x80:
            return tag, off + 2, n
        k = n & 0x7f
        return tag, off + 2 + k, int.from_bytes(buf[off + 2:off + 2 + k], "big")

    _, body, _ = parse(tbs, 0)
    items, off = [], body
    while off < len(tbs):
        tag, start, n = parse(tbs, off)
        items.append(tbs[off:start + n])
        off = start + n
    last = items[-1]
    assert last[0] == 0xa3
    _, s1, n1 = parse(last, 0)
    seq = last[s1:s1 + n1]
    _, s2, n2 = parse(seq, 0)
    exts = seq[s2:s2 + n2].replace(ext_old, ext_new, 1)
    items[-1] = tlv(0xa3, tlv(0x30, exts))
    return tlv(0x30, b"".join(items))


def limbo_crl_cases():
    """tests/data/limbo/crl-cases.json: the CRL fixtures in x509-limbo's format, so that the harness (tests/limbo)
    is seen to pass a case's CRLs to the path builder."""
    import json

    def pems(fname):
        text = open(os.path.join(OUT, fname)).read()
        return ["-----BEGIN" + b for b in text.split("-----BEGIN")[1:]]

    def case(cid, crls, expected):
        leaf, ica_pem = pems("ok.pem")
        return {"id": cid, "features": ["has-crl"], "importance": "high", "description": cid,
                "validation_kind": "SERVER", "trusted_certs": pems("root.pem"), "untrusted_intermediates": [ica_pem],
                "peer_certificate": leaf, "peer_certificate_key": None, "validation_time": "2026-01-01T00:00:00Z",
                "signature_algorithms": [], "key_usage": [], "extended_key_usage": [],
                "expected_result": expected, "expected_peer_name": {"kind": "DNS", "value": "ok.example.com"},
                "expected_peer_names": [], "crls": [c for f in crls for c in pems(f)], "max_chain_depth": None}

    doc = {"version": 1, "testcases": [
        case("rootshift::crl::leaf-revoked", ["crl_ica_revokes_ok.pem"], "FAILURE"),
        case("rootshift::crl::ica-revoked", ["crl_root_revokes_ica.pem"], "FAILURE"),
        case("rootshift::crl::empty", ["crl_ica_empty.pem"], "SUCCESS"),
        case("rootshift::crl::bad-signature", ["crl_ica_bad_signature.pem"], "FAILURE"),
        case("rootshift::crl::no-crl-number", ["crl_ica_no_number.pem"], "FAILURE"),
        case("rootshift::crl::none", [], "SUCCESS"),
    ]}
    with open("tests/data/limbo/crl-cases.json", "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
    limbo_crl_cases()
