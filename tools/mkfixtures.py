#!/usr/bin/env python3
"""Writes the audit fixtures of tests/data/audit/ from the real roots in tests/data/.

Every fixture is a realistic shape of a real-world form (see tests/data/README.md). Run from the repository root:
    python3 tools/mkfixtures.py
Needs python3-cryptography (only to build the BearSSL and ESP-IDF fixtures) and a C compiler with ar (for the
ELF object and the ar archive). The output is deterministic except the ELF/ar files, which depend on the compiler.
"""
import json, os, random, struct, subprocess, sys, tempfile
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa, ec

D = 'tests/data'
OUT = os.path.join(D, 'audit')
os.makedirs(OUT, exist_ok=True)

def pem(name):
    return open(os.path.join(D, name)).read()

def cert(name):
    return x509.load_pem_x509_certificate(pem(name).encode())

def der(name):
    return cert(name).public_bytes(serialization.Encoding.DER)

BALT, G2, MS17 = 'baltimore_cybertrust_root.pem', 'digicert_global_root_g2.pem', 'microsoft_rsa_root_ca_2017.pem'
G3, MSECC, DGCA = 'digicert_global_root_g3.pem', 'microsoft_ecc_root_ca_2017.pem', 'digicert_global_root_ca.pem'

def write(name, data, mode='w'):
    with open(os.path.join(OUT, name), mode) as f:
        f.write(data)

def c_lines(p, eol='\\r\\n'):
    return ''.join('"%s%s"\n' % (l, eol) for l in p.strip().split('\n'))

# 1. Azure IoT C SDK certs/certs.c: one array of concatenated PEM strings with \r\n line ends, comments between.
write('certs.c', '''// Copyright (c) Microsoft. All rights reserved.
// Licensed under the MIT license. See LICENSE file in the project root for full license information.

/* This file contains certs needed to communicate with Azure (IoT) */

#include "certs.h"

const char certificates[] =
#if defined(USE_AZURE_CLOUD_RSA_CERT) || !(defined(USE_AZURE_CLOUD_ECC_CERT) || defined(USE_PORTAL_AZURE_CN_CERT))
/* DigiCert Baltimore Root --Used Globally--*/
// This cert should be used when connecting to Azure IoT on the Azure Cloud available globally. When in doubt, use this cert.
''' + c_lines(pem(BALT)) + '''/*DigiCert Global Root G2*/
''' + c_lines(pem(G2)) + '''/*Microsoft RSA Root Certificate Authority 2017*/
''' + c_lines(pem(MS17)) + '''#endif /* USE_AZURE_CLOUD_RSA_CERT */
;
''')

# 2. Arduino sketches: ESP32 raw string in PROGMEM; ESP8266 F() with concatenated literals.
write('esp32_azure.ino', '''#include <WiFi.h>
#include <WiFiClientSecure.h>

// DigiCert Global Root G2, the root Azure IoT Hub serves since 2023
const char *root_ca PROGMEM = R"EOF(
''' + pem(G2).strip() + '''
)EOF";

WiFiClientSecure client;

void setup() {
  Serial.begin(115200);
  client.setCACert(root_ca);
}

void loop() {}
''')
write('esp8266_azure.ino', '''#include <ESP8266WiFi.h>
#include <WiFiClientSecureBearSSL.h>

void setup() {
  BearSSL::X509List *trust = new BearSSL::X509List();
  trust->append(F(
''' + ''.join('    "%s\\n"\n' % l for l in pem(MS17).strip().split('\n')) + '''  ));
}

void loop() {}
''')

# 3. #define with backslash-newline: between literals, and inside one literal.
g2 = pem(G2).strip().split('\n')
ms = pem(MS17).strip().split('\n')
write('azure_roots_define.h', '''#ifndef AZURE_ROOTS_H
#define AZURE_ROOTS_H

#define AZURE_ROOT_G2 \\
''' + ''.join('    "%s\\n" \\\n' % l for l in g2) + '''    ""

#define AZURE_ROOT_MS2017 "''' + '\\n\\\n'.join(ms) + '''\\n"

#endif
''')

# 4. C++ raw string with a delimiter.
write('raw_string.cpp', '''#include <string>

static const std::string kBackupRoot = R"CERT(''' + pem(MS17) + ''')CERT";
static const char *kNew = u8R"(''' + pem(G2) + ''')";
''')

# 5. PEM inside JSON inside C strings, escaped one, two and three levels deep.
def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'
lvl1 = json.dumps({'ca': pem(G2)}).replace('/', '\\/')          # JSON escapes \n and \/
lvl2 = json.dumps({'config': json.dumps({'ca': pem(MS17)})})    # JSON in a JSON string
lvl3 = json.dumps({'twin': json.dumps({'config': json.dumps({'ca': pem(BALT)})})})
write('json_in_c.c', '''/* Device provisioning payloads with the trust bundle inside, as some SDK samples write them. */
static const char provisioning_payload[] = ''' + c_string(lvl1) + ''';
static const char nested_payload[] = ''' + c_string(lvl2) + ''';
static const char twin_payload[] = ''' + c_string(lvl3) + ''';
''')

# 6. Byte arrays: DER as hex, DER as decimal, one certificate split over two arrays, xxd -i of PEM text.
def hex_rows(b, per=12, indent='  '):
    return ',\n'.join(indent + ', '.join('0x%02x' % x for x in b[i:i + per]) for i in range(0, len(b), per))
def dec_rows(b, per=16, indent='    '):
    return ',\n'.join(indent + ', '.join('%d' % x for x in b[i:i + per]) for i in range(0, len(b), per))
d_g2, d_ms, d_balt = der(G2), der(MS17), der(BALT)
write('der_arrays.c', '''#include <stdint.h>

/* DigiCert Global Root G2, DER */
const unsigned char digicert_g2_der[] = {
''' + hex_rows(d_g2) + '''
};
const unsigned int digicert_g2_der_len = %d;

/* Microsoft RSA Root Certificate Authority 2017, DER, decimal */
static const uint8_t ms_rsa_root_2017[%d] = {
''' % len(d_g2) % () if False else '''#include <stdint.h>

/* DigiCert Global Root G2, DER */
const unsigned char digicert_g2_der[] = {
''' + hex_rows(d_g2) + '''
};
const unsigned int digicert_g2_der_len = ''' + str(len(d_g2)) + ''';

/* Microsoft RSA Root Certificate Authority 2017, DER, decimal */
static const uint8_t ms_rsa_root_2017[''' + str(len(d_ms)) + '''] = {
''' + dec_rows(d_ms) + '''
};

/* Baltimore CyberTrust Root, split in two arrays to fit the flash sections */
const unsigned char baltimore_part1[] = {
''' + hex_rows(d_balt[:512]) + '''
};
const unsigned char baltimore_part2[] = {
''' + hex_rows(d_balt[512:]) + '''
};

/* not certificates */
static const int lookup[] = { 1, 2, 3, 1000 };
static const unsigned char mac[6] = { 0x00, 0x1b, 0x44, 0x11, 0x3a, 0xb7 };
''')
g3pem = pem(G3).encode()
write('g3_pem.h', 'unsigned char digicert_global_root_g3_pem[] = {\n' + hex_rows(g3pem, 12, '  ') +
      '\n};\nunsigned int digicert_global_root_g3_pem_len = %d;\n' % len(g3pem))

# 7. BearSSL trust anchors: `brssl ta` shape (TA0_DN, TA0_RSA_N, ...) and Arduino BearSSLTrustAnchors.h shape.
def ta_parts(name):
    c = cert(name)
    dn = c.subject.public_bytes()
    k = c.public_key()
    if isinstance(k, rsa.RSAPublicKey):
        n = k.public_numbers()
        nb = n.n.to_bytes((n.n.bit_length() + 7) // 8, 'big')
        eb = n.e.to_bytes((n.e.bit_length() + 7) // 8, 'big')
        return dn, 'RSA', (nb, eb), None
    q = k.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    return dn, 'EC', (q,), {'secp256r1': 'BR_EC_secp256r1', 'secp384r1': 'BR_EC_secp384r1'}[k.curve.name]

def brssl_arr(name, b):
    return 'static const unsigned char %s[] = {\n%s\n};\n\n' % (name, hex_rows(b, 12, '\t'))

def brssl_entry(i, kind, curve, dn_name, key_names):
    if kind == 'RSA':
        key = '''\t\t\tBR_KEYTYPE_RSA,
\t\t\t{ .rsa = {
\t\t\t\t(unsigned char *)%s, sizeof %s,
\t\t\t\t(unsigned char *)%s, sizeof %s,
\t\t\t} }''' % (key_names[0], key_names[0], key_names[1], key_names[1])
    else:
        key = '''\t\t\tBR_KEYTYPE_EC,
\t\t\t{ .ec = {
\t\t\t\t%s,
\t\t\t\t(unsigned char *)%s, sizeof %s,
\t\t\t} }''' % (curve, key_names[0], key_names[0])
    return '''\t{
\t\t{ (unsigned char *)%s, sizeof %s },
\t\tBR_X509_TA_CA,
\t\t{
%s
\t\t}
\t}''' % (dn_name, dn_name, key)

def bearssl_header(names, style):
    arrays, entries = '', []
    for i, nm in enumerate(names):
        dn, kind, key, curve = ta_parts(nm)
        if style == 'brssl':
            dnn, kn = 'TA%d_DN' % i, (['TA%d_RSA_N' % i, 'TA%d_RSA_E' % i] if kind == 'RSA' else ['TA%d_EC_Q' % i])
        else:
            dnn, kn = 'TA_DN%d' % i, (['TA_RSA_N%d' % i, 'TA_RSA_E%d' % i] if kind == 'RSA' else ['TA_EC_Q%d' % i])
        arrays += brssl_arr(dnn, dn)
        for a, b in zip(kn, key):
            arrays += brssl_arr(a, b)
        entries.append(brssl_entry(i, kind, curve, dnn, kn))
    body = arrays + 'static const br_x509_trust_anchor TAs[%d] = {\n%s\n};\n\n#define TAs_NUM   %d\n' % (
        len(names), ',\n'.join(entries), len(names))
    if style == 'brssl':
        return body
    return ('#ifndef _BEARSSL_TRUST_ANCHORS_H_\n#define _BEARSSL_TRUST_ANCHORS_H_\n\n#include "bearssl/bearssl.h"\n\n'
            '// The following was created by running the BearSSL "brssl" tool in the extras/TrustAnchors folder:\n'
            '//   ./brssl ta <roots>\n\n' + body + '\n#endif\n')

write('bearssl_tas.h', bearssl_header([G2, G3], 'brssl'))
write('BearSSLTrustAnchors.h', bearssl_header([BALT, MS17], 'arduino'))

# 8. ESP-IDF x509_crt_bundle, current (u32 LE offset table, u16 LE lengths) and legacy (u16 BE count and lengths),
#    entries sorted by subject DER, as gen_crt_bundle.py writes them.
def idf_entries(names):
    out = []
    for nm in names:
        c = cert(nm)
        out.append((c.subject.public_bytes(),
                    c.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)))
    return sorted(out)

def idf_current(names):
    es = idf_entries(names)
    blobs = [struct.pack('<HH', len(n), len(k)) + n + k for n, k in es]
    off, table = 4 * len(blobs), b''
    for b in blobs:
        table += struct.pack('<I', off)
        off += len(b)
    return table + b''.join(blobs)

def idf_legacy(names):
    es = idf_entries(names)
    return struct.pack('>H', len(es)) + b''.join(struct.pack('>HH', len(n), len(k)) + n + k for n, k in es)

write('x509_crt_bundle', idf_current([G2, MS17, G3]), 'wb')
write('x509_crt_bundle_legacy', idf_legacy([BALT, G2]), 'wb')

# 9. A firmware image: pseudo-random bytes with a DER root, a PEM root and decoys (0x30 0x82 headers that are not
#    certificates).
rnd = random.Random(20260528)
blob = bytearray(rnd.getrandbits(8) for _ in range(8192))
for at in range(100, 8000, 997):
    blob[at:at + 4] = b'\x30\x82\x01\x00'
fw = bytes(blob[:4096]) + d_g2 + bytes(blob[4096:6000]) + pem(MS17).replace('\n', '\r\n').encode() + b'\0' + bytes(blob[6000:])
write('firmware.bin', fw, 'wb')
print('firmware.bin: G2 DER at', 4096, 'MS17 PEM at', 4096 + len(d_g2) + 1904)

# 10. An ELF object and an ar archive of it, as a firmware build leaves them.
with tempfile.TemporaryDirectory() as t:
    src = os.path.join(t, 'roots.c')
    with open(src, 'w') as f:
        f.write('const unsigned char g2_der[] = {' + ','.join('0x%02x' % x for x in d_g2) + '};\n')
        f.write('const char balt_pem[] = ' + c_lines(pem(BALT), '\\n') + ';\n')
    obj = os.path.join(OUT, 'roots.o')
    subprocess.check_call(['cc', '-c', '-O0', '-o', obj, src])
    lib = os.path.join(OUT, 'libroots.a')
    if os.path.exists(lib):
        os.remove(lib)
    subprocess.check_call(['ar', 'rcsD', lib, obj])

# 11. Things that must not become anchors.
g2l = pem(G2).strip().split('\n')
key = open(os.path.join(D, 'audit', 'throwaway_ec_key.pem')).read() if os.path.exists(os.path.join(OUT, 'throwaway_ec_key.pem')) else None
write('not_anchors.c', '''/*
 * Example from the README (truncated):
 * ''' + g2l[0] + '''
 * ''' + g2l[1] + '''
 * ...
 * ''' + g2l[-1] + '''
 */
// The old pinned root, disabled:
''' + ''.join('// %s\n' % l for l in pem(BALT).strip().split('\n')) + '''
static const char *elided = "''' + g2l[0] + '''\\n" "''' + g2l[1] + '''\\n" "...\\n" "''' + g2l[-1] + '''\\n";
static const char *placeholder = "-----BEGIN CERTIFICATE-----\\n"
    "PASTE YOUR ROOT CA CERTIFICATE HERE\\n"
    "-----END CERTIFICATE-----\\n";
static const char *truncated = "''' + g2l[0] + '''\\n" "''' + g2l[1] + '''\\n" "''' + g2l[2] + '''\\n";
''' + ('static const char *device_key = ' + c_lines(key, '\\n') + ';\n' if key else ''))

# 12. A bundle with a look-alike and the old root; a store that pins the intermediate of the documented thumbprint.
certifi = open('/work/shared/corpus/bundles/certifi-2020.06.20.pem').read() if os.path.exists('/work/shared/corpus/bundles/certifi-2020.06.20.pem') else None
if certifi:
    i = certifi.index('# Label: "DigiCert Assured ID Root G2"')
    b = certifi.index('-----BEGIN CERTIFICATE-----', i)
    e = certifi.index('-----END CERTIFICATE-----', b) + len('-----END CERTIFICATE-----\n')
    write('lookalike.pem', '# DigiCert Assured ID Root G2 (from certifi 2020.06.20)\n' + certifi[b:e] + '# Baltimore CyberTrust Root\n' + pem(BALT))
write('pinned.pem', pem(G2) + pem(MS17) + pem(BALT) + open(os.path.join(D, 'intermediates', 'microsoft_it_tls_ca_1.pem')).read())

# 13. A config file that carries the roots as PEM inside JSON (not C).
write('device_config.json', json.dumps({'hub': 'example.azure-devices.net', 'trusted_roots': [pem(G2), pem(MS17)]}, indent=2) + '\n')
