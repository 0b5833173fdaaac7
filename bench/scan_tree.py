#!/usr/bin/env python3
"""scan_tree.py OUT_DIR SIZE_MB: a source-like tree for bench/scan.sh, made at bench time, never committed.

Files of 32-160 KB cut from this system's C headers (/usr/include) with lines planted the way real projects carry
them: a few fingerprints fed to pinning APIs (known intermediates and unknown ones), name checks, verification
turned off, and near-misses (commit ids, UUIDs, lock-file checksums, 0x arrays of other lengths). Deterministic
(random.Random(5)). Prints the number of files and planted lines."""
import os, random, sys

out, size_mb = sys.argv[1], int(sys.argv[2])
rnd = random.Random(5)
pool = []
for root, _, files in os.walk("/usr/include"):
    for f in sorted(files):
        if f.endswith(".h"):
            try:
                pool.append(open(os.path.join(root, f), "rb").read())
            except OSError:
                pass
    if sum(map(len, pool)) > 96 << 20:
        break
text = b"".join(pool)
planted = [
    b'  client.setFingerprint("70 3D 7A 8F 0E BF 55 AA A5 9F 98 EA F4 A2 06 00 4E B2 51 6A");\n',
    b'static const char fp[] PROGMEM = "41:7E:22:50:37:FB:FA:A4:F9:57:61:D5:AE:72:9E:1A:EA:7E:3A:42";\n',
    b'  SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);\n',
    b'  if (strstr(issuer, "Microsoft RSA TLS CA 01")) return 1;\n',
    b'  curl_easy_setopt(c, CURLOPT_PINNEDPUBLICKEY, "sha256//NHwusbC7w844JzTmvIRIo8NL7D6StITK9phzFgtJi0w=");\n',
]
noise = [
    lambda: b"/* commit %s */\n" % bytes(rnd.choice(b"0123456789abcdef") for _ in range(40)),
    lambda: b'static const char *uuid = "%s";\n' % b"-".join(bytes(rnd.choice(b"0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12)),
    lambda: b'checksum = "%s"\n' % bytes(rnd.choice(b"0123456789abcdef") for _ in range(64)),
    lambda: b"static const uint8_t iv[16] = {%s};\n" % b", ".join(b"0x%02x" % rnd.randrange(256) for _ in range(16)),
]
total, files, nplant = 0, 0, 0
target = size_mb << 20
while total < target:
    d = os.path.join(out, "src%03d" % (files // 200), "mod%02d" % (files % 200 // 20))
    os.makedirs(d, exist_ok=True)
    n = rnd.randrange(32 << 10, 160 << 10)
    at = rnd.randrange(0, len(text) - n)
    body = bytearray(text[at:at + n])
    for _ in range(4):
        pos = body.find(b"\n", rnd.randrange(0, len(body))) + 1
        body[pos:pos] = rnd.choice(noise)()
    if files % 97 == 0:
        pos = body.find(b"\n", rnd.randrange(0, len(body))) + 1
        body[pos:pos] = planted[nplant % len(planted)]
        nplant += 1
    with open(os.path.join(d, "file%05d.c" % files), "wb") as f:
        f.write(body)
    total += len(body)
    files += 1
print(files, nplant)
