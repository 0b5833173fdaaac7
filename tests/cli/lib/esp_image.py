#!/usr/bin/env python3
"""esp_image.py OUT KIND LAYOUT PEM...: an ESP32-family firmware holding an ESP-IDF certificate bundle of the PEM
files' certificates, as esp_crt_bundle_attach's x509_crt_bundle is embedded in an app (test_esp_image.sh).

KIND: app (an app image: the 24-byte esp_image_header_t, magic 0xE9, chip id ESP32-C3; the bundle in .rodata after
code), merged (a flash image: the ESP32's bootloader header at 0x1000, the partition table at 0x8000, the app at
0x10000), elf (a 32-bit Xtensa ELF header before the same bytes), plain (no header: random bytes around the bundle,
which is no ESP firmware), raw (the bundle file alone). LAYOUT: current (ESP-IDF 5: u32 offsets, then [name len u16 LE][key len u16 LE][name][key]
entries) or legacy (ESP-IDF 4: [count u16 BE], entries with big-endian lengths), as gen_crt_bundle.py writes them,
sorted by subject name. Prints the bundle's offset in OUT. The DER is walked here (tbsCertificate's subject and
subjectPublicKeyInfo), so nothing beyond Python's standard library is needed."""
import base64
import random
import re
import struct
import sys


def tlv(b, i):
    """(tag, start of value, end of value) of the DER element at i"""
    tag, n = b[i], b[i + 1]
    i += 2
    if n & 0x80:
        k = n & 0x7F
        n = int.from_bytes(b[i:i + k], "big")
        i += k
    return tag, i, i + n


def name_and_key(der):
    _, s, _ = tlv(der, 0)          # Certificate
    _, i, _ = tlv(der, s)          # tbsCertificate
    fields = []
    while len(fields) < 7:
        tag, vs, ve = tlv(der, i)
        fields.append((tag, i, ve))
        i = ve
    if fields[0][0] != 0xA0:        # no [0] version: v1
        fields.insert(0, None)
    subject, spki = fields[5], fields[6]
    return der[subject[1]:subject[2]], der[spki[1]:spki[2]]


def certs(paths):
    out = []
    for p in paths:
        text = open(p).read()
        for m in re.finditer(r"-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----", text, re.S):
            out.append(name_and_key(base64.b64decode("".join(m.group(1).split()))))
    return sorted(out)


def bundle(entries, layout):
    if layout == "legacy":
        body = struct.pack(">H", len(entries))
        for n, k in entries:
            body += struct.pack(">HH", len(n), len(k)) + n + k
        return body
    table, body = b"", b""
    off = 4 * len(entries)
    for n, k in entries:
        table += struct.pack("<I", off + len(body))
        body += struct.pack("<HH", len(n), len(k)) + n + k
    return table + body


def main():
    out, kind, layout = sys.argv[1:4]
    r = random.Random(1967)
    rnd = lambda n: bytes(r.getrandbits(8) for _ in range(n))
    b = bundle(certs(sys.argv[4:]), layout)
    # esp_image_header_t: magic, segment count, SPI mode, flash size/freq, entry, then the extended header: WP pin,
    # drive settings, chip id (ESP32-C3: 5) at 12, min/max revision, reserved, hash_appended
    app_hdr = bytes([0xE9, 4, 2, 0x20]) + struct.pack("<I", 0x40380000) + bytes([0xEE, 0, 0, 0]) + \
        struct.pack("<H", 5) + bytes(10)
    app = app_hdr + rnd(70001) + b + rnd(30000)
    at = len(app_hdr) + 70001
    if kind == "app":
        data = app
    elif kind == "merged":
        boot = bytes([0xE9, 3, 2, 0x20]) + struct.pack("<I", 0x40080000) + bytes([0xEE, 0, 0, 0]) + \
            struct.pack("<H", 0) + bytes(10) + rnd(20000)
        data = bytearray(b"\xff" * 0x10000)
        data[0x1000:0x1000 + len(boot)] = boot
        data[0x8000:0x8002] = b"\xaa\x50"
        data = bytes(data) + app
        at += 0x10000
    elif kind == "elf":
        elf = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack("<HH", 2, 94) + bytes(32)
        data = elf + app[len(app_hdr):]
        at += len(elf) - len(app_hdr)
    elif kind == "raw":
        data, at = b, 0
    else:
        data = rnd(70001) + b + rnd(30000)
        at = 70001
    open(out, "wb").write(data)
    print(at)


main()
