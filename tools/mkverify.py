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


# ---- tests/data/limbo/limbo-extra.json: x509-limbo server cases that the copy in tests/data/limbo lacks ----------
# Each case mirrors one upstream testcase (C2SP/x509-limbo limbo/testcases/, read for what it builds and expects; the
# id is upstream's). The certificates are our own, made here; the expected results are upstream's. Run with
# `python3 tools/mkverify.py --limbo-extra`; it writes only that file (new keys each time).

EX_AT = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)


def ex_ku(sign=True, cert_sign=False, crl_sign=False, **bits):
    f = dict(digital_signature=sign, content_commitment=False, key_encipherment=False, data_encipherment=False,
             key_agreement=False, key_cert_sign=cert_sign, crl_sign=crl_sign, encipher_only=False,
             decipher_only=False)
    f.update(bits)
    return x509.KeyUsage(**f)


class Ex:
    """A certificate and its private key."""

    def __init__(self, cert, key):
        self.cert, self.key = cert, key


def ex_sign(b, ikey):
    if isinstance(ikey, (ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey, dsa.DSAPrivateKey)):
        return b.sign(ikey, hashes.SHA256())
    return b.sign(ikey, None)


def ex_cert(subject, key, issuer=None, ca=False, bc="default", ku="default", ski=True, aki=True,
            eku="default", san="default", nc=None, extra=(), serial=None, nb=None, na=None, issuer_name=None):
    """One certificate. issuer is an Ex (None: self-signed). "default" picks the profile's usual extension;
    None leaves it out; an (extension, critical) pair gives it."""
    pub = key.public_key()
    ikey = issuer.key if issuer else key
    iname = issuer_name if issuer_name is not None else (issuer.cert.subject if issuer else subject)
    b = (x509.CertificateBuilder().subject_name(subject).issuer_name(iname).public_key(pub)
         .serial_number(serial if serial is not None else x509.random_serial_number())
         .not_valid_before(nb or START).not_valid_after(na or END))
    exts = []
    exts.append((x509.BasicConstraints(ca=ca, path_length=None), True) if bc == "default" else bc)
    exts.append((ex_ku(sign=not ca, cert_sign=ca, crl_sign=ca), True) if ku == "default" else ku)
    if ski:
        exts.append((x509.SubjectKeyIdentifier.from_public_key(pub), False) if ski is True else ski)
    if aki and issuer:
        exts.append((x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), False)
                    if aki is True else aki)
    if not ca:
        exts.append((x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), False) if eku == "default" else eku)
        exts.append((x509.SubjectAlternativeName([x509.DNSName("example.com")]), False) if san == "default"
                    else san)
    elif san != "default":
        exts.append(san)
    exts.append(nc)
    exts.extend(extra)
    for e in exts:
        if e:
            b = b.add_extension(e[0], critical=e[1])
    return Ex(ex_sign(b, ikey), key)


_ex_n = [0]


def ex_root(key=None, cn=None, **kw):
    _ex_n[0] += 1
    return ex_cert(name(cn or "rootshift-extra-root-%d" % _ex_n[0]), key or p256(), None, ca=True, **kw)


def ex_ica(parent, key=None, cn=None, **kw):
    _ex_n[0] += 1
    return ex_cert(name(cn or "rootshift-extra-ica-%d" % _ex_n[0]), key or p256(), parent, ca=True, **kw)


def ex_leaf(parent, key=None, subject=None, **kw):
    return ex_cert(subject if subject is not None else name("rootshift-extra-ee"), key or p256(), parent, **kw)


def ex_san(*names):
    return (x509.SubjectAlternativeName([x509.IPAddress(n) if not isinstance(n, (str, x509.GeneralName)) else
                                         (x509.DNSName(n) if isinstance(n, str) else n) for n in names]), False)


def ex_crl(signer_key, issuer_name, revoked=(), number=1, number_critical=False, this=None, nxt=None, extra=()):
    """revoked: serials, or (serial, [(extension, critical)]) pairs."""
    b = (x509.CertificateRevocationListBuilder().issuer_name(issuer_name)
         .last_update(this or EX_AT - dt.timedelta(days=1)).next_update(nxt or EX_AT + dt.timedelta(days=30)))
    if number is not None:
        b = b.add_extension(x509.CRLNumber(number), critical=number_critical)
    for e, crit in extra:
        b = b.add_extension(e, critical=crit)
    for r in revoked:
        serial, rexts = (r, []) if isinstance(r, int) else r
        rb = x509.RevokedCertificateBuilder().serial_number(serial).revocation_date(EX_AT - dt.timedelta(days=2))
        for e, crit in rexts:
            rb = rb.add_extension(e, critical=crit)
        b = b.add_revoked_certificate(rb.build())
    return b.sign(signer_key, hashes.SHA256())


def ex_pem(obj):
    if isinstance(obj, bytes):
        return obj.decode()
    c = obj.cert if isinstance(obj, Ex) else obj
    return c.public_bytes(serialization.Encoding.PEM).decode()


def ex_case(cid, expected, trusted, peer, untrusted=(), host="example.com", at=None, crls=(), depth=None, note=""):
    kind = None
    if host is not None:
        try:
            ipaddress.ip_address(host)
            kind = "IP"
        except ValueError:
            kind = "DNS"
    return {"id": cid, "description": "mirrors upstream x509-limbo %s (own certificates, tools/mkverify.py)%s" %
            (cid, ("; " + note) if note else ""), "validation_kind": "SERVER",
            "trusted_certs": [ex_pem(c) for c in trusted], "untrusted_intermediates": [ex_pem(c) for c in untrusted],
            "peer_certificate": ex_pem(peer), "validation_time": at or "2026-01-01T00:00:00Z",
            "expected_result": expected,
            "expected_peer_name": {"kind": kind, "value": host} if host is not None else None,
            "crls": [c.public_bytes(serialization.Encoding.PEM).decode() for c in crls], "max_chain_depth": depth}


def ex_swap_spki(ex_c, spki, ikey):
    """ex_c with its SubjectPublicKeyInfo replaced by spki, signed again by ikey (an EC key)."""
    items = tbs_items(ex_c.cert.tbs_certificate_bytes)
    assert items[6][0] == 0x30
    items[6] = spki
    return pem_of(signed_der(tlv(0x30, b"".join(items)), ikey))


def limbo_extra_cases():
    import json
    cases = []

    def add(*a, **kw):
        cases.append(ex_case(*a, **kw))

    S, F = "SUCCESS", "FAILURE"
    ip = ipaddress.ip_address

    # webpki::cn (CA/B BR 7.1.4.3): the CN must be a character-for-character copy of a SAN value.
    for cid, cn, sans, host in [
            ("cabf-cn-ipv4-hex-mismatch", "0xC0A80101", [ip("192.168.1.1")], "192.168.1.1"),
            ("cabf-cn-ipv4-leading-zeros-mismatch", "192.168.001.001", [ip("192.168.1.1")], "192.168.1.1"),
            ("cabf-cn-ipv6-uppercase-mismatch", "2001:DB8::8A2E:370:7334", [ip("2001:db8::8a2e:370:7334")],
             "2001:db8::8a2e:370:7334"),
            ("cabf-cn-ipv6-uncompressed-mismatch", "2001:0db8:0000:0000:0000:0000:0000:0001", [ip("2001:db8::1")],
             "2001:db8::1"),
            ("cabf-cn-ipv6-non-rfc5952-mismatch", "2001:db8:0:0:1:0:0:1", [ip("2001:db8::1:0:0:1")],
             "2001:db8::1:0:0:1"),
            ("cabf-cn-punycode-not-in-san", "xn--nxasmq6b.com", ["xn--n3h.com"], "xn--n3h.com"),
            ("cabf-cn-utf8-vs-punycode-mismatch", "test-\u6e2c\u8a66.com", ["xn--test--wg5h0h.com"],
             "xn--test--wg5h0h.com"),
            ("cabf-cn-not-in-san", "notinsan.example.com", ["valid.example.com", "another.example.com"],
             "valid.example.com"),
            ("cabf-cn-case-mismatch", "Example.COM", ["example.com"], "example.com")]:
        r = ex_root()
        add("webpki::cn::" + cid, F, [r], ex_leaf(r, subject=name(cn), san=ex_san(*sans)), host=host)

    # webpki::eku (CA/B BR 7.1.2.7.10).
    O = ExtendedKeyUsageOID
    precert = x509.ObjectIdentifier("1.3.6.1.4.1.11129.2.4.4")
    for cid, ekus, want in [("ee-clientauth-only", [O.CLIENT_AUTH], F), ("ee-precertificate-only", [precert], F),
                            ("ee-precertificate-with-serverauth", [O.SERVER_AUTH, precert], F),
                            ("ee-serverauth-with-additional", [O.SERVER_AUTH, O.CLIENT_AUTH], S),
                            ("ee-codesigning-with-serverauth", [O.SERVER_AUTH, O.CODE_SIGNING], F),
                            ("ee-emailprotection-with-serverauth", [O.SERVER_AUTH, O.EMAIL_PROTECTION], F),
                            ("ee-timestamping-with-serverauth", [O.SERVER_AUTH, O.TIME_STAMPING], F),
                            ("ee-ocspsigning-with-serverauth", [O.SERVER_AUTH, O.OCSP_SIGNING], F)]:
        r = ex_root()
        add("webpki::eku::" + cid, want, [r], ex_leaf(r, eku=(x509.ExtendedKeyUsage(ekus), False)))

    # webpki::ku: an RSA leaf whose key usage has no bit set.
    r = ex_root()
    add("webpki::ku::ee-rsa-without-any-usages", F, [r],
        ex_leaf(r, key=rsa.generate_private_key(public_exponent=65537, key_size=2048),
                ku=(ex_ku(sign=False), True)), host=None)

    # webpki::crl: a CRL listing one serial twice.
    r = ex_root()
    lf = ex_leaf(r)
    other = x509.random_serial_number()
    add("webpki::crl::crl-duplicate-revoked-serial", F, [r], lf, crls=[ex_crl(r.key, r.cert.subject, [other, other])])

    # webpki::san
    r = ex_root()
    add("webpki::san::exact-dns-san", S, [r], ex_leaf(r))
    r = ex_root()
    add("webpki::san::exact-localhost-ip-san", S, [r], ex_leaf(r, san=ex_san(ip("127.0.0.1"))), host="127.0.0.1")

    # webpki: the key policy (CA/B BR 6.1.5, 7.1.3.1), a CA certificate as the leaf.
    def key_case(cid, rkey=None, lkey=None):
        r = ex_root(key=rkey)
        add("webpki::" + cid, F, [r], ex_leaf(r, key=lkey))

    key_case("forbidden-p192-root", rkey=ec.generate_private_key(ec.SECP192R1()))
    key_case("forbidden-p192-leaf", lkey=ec.generate_private_key(ec.SECP192R1()))
    key_case("forbidden-dsa-root", rkey=dsa.generate_private_key(3072))
    key_case("forbidden-dsa-leaf", lkey=dsa.generate_private_key(3072))
    key_case("forbidden-weak-rsa-key-in-root", rkey=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    key_case("forbidden-weak-rsa-in-leaf", lkey=rsa.generate_private_key(public_exponent=65537, key_size=1024))
    key_case("forbidden-rsa-not-divisable-by-8-in-root",
             rkey=rsa.generate_private_key(public_exponent=65537, key_size=2052))
    key_case("forbidden-rsa-key-not-divisable-by-8-in-leaf",
             lkey=rsa.generate_private_key(public_exponent=65537, key_size=2052))
    import subprocess
    spki = subprocess.run("openssl ecparam -name prime256v1 -param_enc explicit -genkey -noout | "
                          "openssl pkey -pubout -outform DER", shell=True, check=True, capture_output=True).stdout
    r = ex_root()
    add("webpki::explicit-curve", F, [r], ex_swap_spki(ex_leaf(r), spki, r.key),
        note="only the leaf's key has explicit parameters here")
    r = ex_root()
    ca_leaf = ex_ica(r, san=ex_san("ca.example.com"))
    add("webpki::ca-as-leaf", F, [r], ca_leaf, host="ca.example.com")
    add("rfc5280::ca-as-leaf", S, [r], ca_leaf, host="ca.example.com",
        note="conflicts with webpki::ca-as-leaf; the webpki policy fails it (webpki.ee-ca)")
    add("rfc5280::ca-as-leaf-wrong-san", F, [r], ca_leaf, host="some-other-ca.example.com")
    r = ex_root()
    i = ex_ica(r)
    add("rfc5280::root-and-intermediate-swapped", S, [i], ex_leaf(i), untrusted=[r])

    # rfc5280::validity: inclusive bounds, fractional validation times floored.
    nb, na = dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc), dt.datetime(2024, 4, 1, tzinfo=dt.timezone.utc)
    for cid, want, a, b, at in [("notbefore-exact", S, nb, na, "2024-03-01T00:00:00Z"),
                                ("notbefore-fractional", F, nb + dt.timedelta(seconds=1), na,
                                 "2024-03-01T00:00:00.999Z"),
                                ("notafter-exact", S, nb, na, "2024-04-01T00:00:00Z"),
                                ("notafter-fractional", S, nb, na, "2024-04-01T00:00:00.005Z")]:
        r = ex_root(nb=a, na=b)
        i = ex_ica(r, nb=a, na=b)
        add("rfc5280::validity::" + cid, want, [r], ex_leaf(i, nb=a, na=b), untrusted=[i], host=None, at=at)

    # rfc5280::pc: non-critical policy constraints.
    r = ex_root()
    i = ex_ica(r, extra=[(x509.PolicyConstraints(require_explicit_policy=3, inhibit_policy_mapping=None), False)])
    add("rfc5280::pc::ica-noncritical-pc", F, [r], ex_leaf(i), untrusted=[i], host=None)

    # rfc5280::nc
    def nc(permitted=None, excluded=None, critical=True):
        return (x509.NameConstraints(permitted_subtrees=permitted, excluded_subtrees=excluded), critical)

    for cid, bad in [("invalid-dnsname-wildcard", "*.example.com"), ("invalid-dnsname-leading-period", ".example.com")]:
        c = nc([x509.DNSName("unrelated.example.net")])
        c[0]._permitted_subtrees = [x509.DNSName(bad)]
        r = ex_root(nc=c)
        add("rfc5280::nc::" + cid, F, [r], ex_leaf(r, san=ex_san("foo.example.com")), host="foo.example.com")
    gone, trusted = ex_root(), ex_root()
    ica_a = ex_ica(trusted, nc=nc([x509.DNSName("permitted.example.com")], [x509.DNSName("forbidden.example.com")]))
    k = p256()
    b1 = ex_ica(gone, key=k, cn="an-intermediate", san=ex_san("forbidden.example.com"))
    b2 = ex_ica(ica_a, key=k, cn="an-intermediate")
    add("rfc5280::nc::nc-forbids-alternate-chain-ica", S, [trusted],
        ex_leaf(b1, subject=name("permitted.example.com"), san=ex_san("permitted.example.com")),
        untrusted=[ica_a, b1, b2], host="permitted.example.com")
    ra, rb = ex_root(), ex_root()
    ica_a = ex_ica(ra, nc=nc(None, [x509.DNSName("forbidden.example.com")]))
    k = p256()
    b1 = ex_ica(ica_a, key=k, cn="an-intermediate", san=ex_san("forbidden.example.com"))
    b2 = ex_ica(rb, key=k, cn="an-intermediate", san=ex_san("unconstrained-ica.example.com"))
    add("rfc5280::nc::nc-forbids-same-chain-ica", S, [ra, rb],
        ex_leaf(b1, subject=name("unconstrained.example.com"), san=ex_san("unconstrained.example.com")),
        untrusted=[ica_a, b1, b2], host="unconstrained.example.com")
    on = x509.OtherName(x509.ObjectIdentifier("1.3.6.1.4.1.55738.666.3"), b"\x05\x00")
    r = ex_root()
    i = ex_ica(r, nc=nc([x509.DNSName("example.com")], [on]))
    add("rfc5280::nc::nc-forbids-othername", F, [r], ex_leaf(i, san=ex_san("example.com", on)), untrusted=[i])
    add("rfc5280::nc::nc-forbids-othername-noop", S, [r], ex_leaf(i), untrusted=[i])
    dn = x509.DirectoryName(name("foo"))
    r = ex_root(nc=nc([dn]))
    add("rfc5280::nc::permitted-dn-match", S, [r], ex_leaf(r, subject=name("foo"), san=ex_san(dn)), host=None,
        note="upstream's newer version gives no peer name")

    # Cases of the copy that upstream's builder now makes with leaves named "CN=x509-limbo-ee" (the copy's leaves
    # carry CN=example.com beside other SANs, which webpki.cn-in-san rightly rejects).
    r = ex_root(nc=nc([x509.DNSName("example.com")]))
    add("rfc5280::nc::permitted-dns-match-more", S, [r], ex_leaf(r, san=ex_san("foo.bar.example.com")),
        host="foo.bar.example.com", note="the copy's leaf has CN=example.com")
    r = ex_root(nc=nc([x509.IPAddress(ipaddress.ip_network("192.0.2.0/24"))]))
    add("rfc5280::nc::permitted-ipv4-match", S, [r], ex_leaf(r, san=ex_san(ip("192.0.2.1"))), host="192.0.2.1",
        note="the copy's leaf has CN=example.com")
    r = ex_root(nc=nc([x509.IPAddress(ipaddress.ip_network("::1/128"))]))
    add("rfc5280::nc::permitted-ipv6-match", S, [r], ex_leaf(r, san=ex_san(ip("::1"))), host="::1",
        note="the copy's leaf has CN=example.com")
    r = ex_root()
    add("webpki::san::leftmost-wildcard-san", S, [r], ex_leaf(r, san=ex_san("*.example.com")), host="foo.example.com",
        note="the copy's leaf has CN=example.com")

    r = ex_root()
    i1 = ex_ica(r, bc=(x509.BasicConstraints(ca=True, path_length=0), True))
    i2 = ex_ica(i1, bc=(x509.BasicConstraints(ca=True, path_length=0), True))
    add("pathlen::validation-ignores-pathlen-in-leaf", S, [r], i2, untrusted=[i1], host=None,
        note="upstream's version read here gives no peer name; the copy's has one, and webpki.ee-ca fails it")

    # cve
    ra = ex_root(cn="Root A")
    kb, kc = p256(), p256()
    B = Ex(ex_root(key=kb, cn="Root B").cert, kb)
    C = Ex(ex_root(key=kc, cn="Root C").cert, kc)
    a1 = ex_ica(ra, cn="Intermediate A1")
    inter = [a1, ex_ica(B, key=ra.key, cn="Root A"), ex_ica(C, key=ra.key, cn="Root A"), ex_ica(B, cn="Intermediate B1"),
             ex_ica(ra, key=kb, cn="Root B"), ex_ica(C, key=kb, cn="Root B"), ex_ica(C, cn="Intermediate C1"),
             ex_ica(ra, key=kc, cn="Root C"), ex_ica(B, key=kc, cn="Root C")]
    add("cve::cve-2024-0567", S, [ra],
        ex_leaf(a1, subject=x509.Name([]), san=(x509.SubjectAlternativeName(
            [x509.DNSName("cve-2024-0567.example.com")]), True)),
        untrusted=inter, host="cve-2024-0567.example.com")
    for cid, c, host in [("cve-2025-61727", nc([x509.DNSName("example.com")], [x509.DNSName("bar.example.com")]),
                          "bar.example.com"),
                         ("cve-2025-61727-nc-permits-variant", nc([x509.DNSName("foo.example.com")]),
                          "foo.example.com")]:
        r = ex_root()
        i = ex_ica(r, nc=c)
        add("cve::" + cid, F, [r], ex_leaf(i, san=ex_san("*.example.com")), untrusted=[i], host=host)

    # invalid: an intermediate whose RSA key does not decode (and whose issuer is not trusted).
    r1, r2 = ex_root(), ex_root()
    bad_spki = bytes.fromhex("3012300d06092a864886f70d0101010500030100")
    i = ex_ica(r2)
    add("invalid::invalid-issuer-key", F, [r1], ex_leaf(i), untrusted=[ex_swap_spki(i, bad_spki, r2.key)], host=None)

    # rfc5280::crl
    def crl_case(cid, want, revoke_leaf=False, root_kw=None, crl_kw=None, signer=None, crl_issuer=None,
                 entry_exts=(), extra_roots=(), count=1):
        r = ex_root(**(root_kw or {}))
        lf = ex_leaf(r)
        serials = [x509.random_serial_number() for _ in range(count)]
        if revoke_leaf:
            serials = [(lf.cert.serial_number, list(entry_exts))]
        elif entry_exts:
            serials = [(serials[0], list(entry_exts))]
        crl = ex_crl(signer or r.key, crl_issuer or r.cert.subject, serials, **(crl_kw or {}))
        add("rfc5280::crl::" + cid, want, [r] + list(extra_roots), lf, crls=[crl])

    unk = x509.UnrecognizedExtension(x509.ObjectIdentifier("1.3.6.1.4.1.55738.666.1"), b"")
    crl_case("revoked-certificate-with-crl", F, revoke_leaf=True)
    crl_case("crlnumber-missing", F, crl_kw={"number": None})
    crl_case("certificate-not-on-crl", S, count=2)
    crl_case("crlnumber-critical", F, crl_kw={"number_critical": True})
    crl_case("issuer-missing-crlsign", F, root_kw={"ku": (ex_ku(sign=False, cert_sign=True), False)})
    crl_case("issuer-no-keyusage-extension", S, root_kw={"ku": None})
    crl_case("issuer-valid-crlsign-and-keycertsign", S,
             root_kw={"ku": (ex_ku(sign=False, cert_sign=True, crl_sign=True), False)})
    crl_case("crl-invalid-signature", F, signer=p256())
    crl_case("crl-empty", S, count=0)
    crl_case("crl-very-large", S, count=2000)
    crl_case("crl-unknown-critical-extension", F, crl_kw={"extra": [(unk, True)]})
    crl_case("crl-unknown-noncritical-extension", S, crl_kw={"extra": [(unk, False)]})
    crl_case("entry-unknown-critical-extension", F, revoke_leaf=True, entry_exts=[(unk, True)])
    crl_case("entry-unknown-noncritical-extension", F, revoke_leaf=True, entry_exts=[(unk, False)])
    crl_case("this-update-in-future", F, crl_kw={"this": EX_AT + dt.timedelta(days=1),
                                                 "nxt": EX_AT + dt.timedelta(days=30)})
    crl_case("next-update-in-past", F, crl_kw={"this": EX_AT - dt.timedelta(days=60),
                                               "nxt": EX_AT - dt.timedelta(days=30)})
    crl_case("crl-validity-no-overlap", F, crl_kw={"this": EX_AT - dt.timedelta(days=365),
                                                   "nxt": EX_AT - dt.timedelta(days=180)})
    r1, r2 = ex_root(cn="Root CA 1"), ex_root(cn="Root CA 2")
    lf = ex_leaf(r1)
    add("rfc5280::crl::certificate-serial-on-crl-different-issuer", S, [r1, r2], lf,
        crls=[ex_crl(r1.key, r1.cert.subject), ex_crl(r2.key, r2.cert.subject, [lf.cert.serial_number])])
    add("rfc5280::crl::crl-wrong-signing-key", F, [r1, r2], ex_leaf(r1),
        crls=[ex_crl(r2.key, r1.cert.subject, [x509.random_serial_number()])])

    # rootshift's own: SHA-1 and MD5 signatures below the anchor (webpki.signature-digest).
    for cid, h in [("sha1-signed-leaf", hashes.SHA1())]:
        r = ex_root(key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
        k = p256()
        b = (x509.CertificateBuilder().subject_name(name("rootshift-extra-ee")).issuer_name(r.cert.subject)
             .public_key(k.public_key()).serial_number(x509.random_serial_number())
             .not_valid_before(START).not_valid_after(END)
             .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
             .add_extension(ex_ku(), critical=True)
             .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(r.key.public_key()), critical=False)
             .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
             .add_extension(x509.SubjectAlternativeName([x509.DNSName("example.com")]), critical=False))
        add("rootshift::" + cid, F, [r], b.sign(r.key, h), note="no upstream case: CA/B BR 7.1.3.2 forbids SHA-1")

    doc = {"version": 1, "testcases": cases}
    with open("tests/data/limbo/limbo-extra.json", "w") as f:
        json.dump(doc, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print("tests/data/limbo/limbo-extra.json: %d cases" % len(cases))


if __name__ == "__main__":
    import sys
    if sys.argv[1:] == ["--limbo-extra"]:
        limbo_extra_cases()
    else:
        main()
        limbo_crl_cases()
