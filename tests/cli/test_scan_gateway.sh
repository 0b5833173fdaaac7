#!/bin/sh
# test_scan_gateway.sh BINARY SCRATCH: the Linux gateway evaluation set (data/scan/gateway, look-alikes in
# data/scan/gateway-neg; issue #16). Each case directory is a project or a root file system of its own, scanned and
# audited alone at 2026-01-01, and holds an EXPECT file (its header says the format): mosquitto bridges, Azure IoT
# Edge config.toml/config.yaml, Greengrass-style rootCaPath/caPath, Node-RED tls-config, Python (paho, ssl, requests,
# azure-iot-device) with paths in settings modules, .env and YAML, Node (mqtt.js ca, checkServerIdentity), Java
# (.properties pin, OkHttp CertificatePinner), shell (curl, openssl, mosquitto_pub), a systemd unit, a deselected
# root in /etc/ca-certificates.conf; firmware trees packed here as .tar.gz (hash-named symlinks), an OTA .zip
# holding a .tar.xz, a .cpio.gz initramfs, .ipk and .deb (ar holding data.tar.*): scan and audit of the image give
# what the unpacked tree gives. An archive bomb gives a note, not a crash. GW_SCORE=1 prints a score and exits 0.
set -eu
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3
bin=$(realpath "$1")
scratch=$(realpath -m "$2")
rm -rf "$scratch"
mkdir -p "$scratch"
data=$(realpath data/scan)
fail=0
"$PY" - "$bin" "$scratch" "$data" <<'PY' || fail=1
import json, os, shutil, subprocess, sys
bin, scratch, data = sys.argv[1:4]
AT = "--at=2026-01-01T00:00:00Z"
ok = bad = 0
msgs = []
def result(good, what):
    global ok, bad
    if good:
        ok += 1
    else:
        bad += 1
        msgs.append(what)
def run(*args):
    p = subprocess.run([bin, *args], capture_output=True)
    if p.returncode not in (0, 1):
        return p.returncode, None, p.stderr.decode(errors="replace")
    return p.returncode, json.loads(p.stdout), p.stderr.decode(errors="replace")
IGNORE = os.path.join(scratch, "ignore")
open(IGNORE, "w").write("EXPECT\n")
def scan(path):
    rc, d, err = run("scan", AT, "--format", "json", "--ignore-file", IGNORE, path)
    if d is None:
        raise RuntimeError(f"scan {path}: exit {rc}: {err}")
    return d["findings"]
def audit(path):
    rc, d, err = run("audit", AT, "--format", "json", path)
    if d is None:
        raise RuntimeError(f"audit {path}: exit {rc}: {err}")
    return d
def rel(p, pre):
    p = p[len(pre):] if p.startswith(pre) else "?" + p
    return p[2:] if p.startswith("./") else p
def key(f, pre):
    r = (f.get("related") or [{}])[0]
    return (rel(f["path"], pre), f["line"], f["offset"], f["rule"], f["severity"], f["api"], f["value"], r.get("name"),
            rel(r["path"], pre) if "path" in r else None, r.get("line"))
def sh(cmd, cwd):
    subprocess.run(cmd, shell=True, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
def pack(fmt, tree, case, out):
    """TREE packed as FMT into OUT; returns the path prefix of the tree's files in the image"""
    if fmt == "tar.gz":
        sh(f"tar -czf '{out}' .", tree)
        return out + "!/"
    if fmt == "zip(tar.xz)":
        tmp = out + ".d"
        os.makedirs(tmp)
        sh(f"tar -cJf '{tmp}/rootfs.tar.xz' .", tree)
        shutil.copy(os.path.join(case, "manifest.json"), tmp)
        sh(f"zip -q '{out}' manifest.json rootfs.tar.xz", tmp)
        return out + "!/rootfs.tar.xz!/"
    if fmt == "cpio.gz":
        sh(f"find . | LC_ALL=C sort | cpio -o -H newc 2>/dev/null | gzip -9 >'{out}'", tree)
        return out + "!/"
    if fmt in ("ipk", "deb"):
        tmp = out + ".d"
        os.makedirs(tmp)
        z = "gz" if fmt == "ipk" else "xz"
        open(os.path.join(tmp, "debian-binary"), "w").write("2.0\n")
        sh(f"tar -czf '{tmp}/control.tar.gz' -C '{case}/control' .", tmp)
        sh(f"tar -c{'z' if z == 'gz' else 'J'}f '{tmp}/data.tar.{z}' .", tree)
        sh(f"ar rc '{out}' debian-binary control.tar.gz data.tar.{z}", tmp)
        return out + f"!/data.tar.{z}!/"
    raise ValueError(fmt)

cases = []
for top in ("gateway", "gateway-neg"):
    for name in sorted(os.listdir(os.path.join(data, top))):
        if os.path.exists(os.path.join(data, top, name, "EXPECT")):
            cases.append(f"{top}/{name}")
n = 0
for c in cases:
    case = os.path.join(data, c)
    pre = case + "/"
    lines = [l.rstrip("\n").split("\t") for l in open(os.path.join(case, "EXPECT")) if l.strip() and not l.startswith("#")]
    found = scan(case)
    wanted = set()
    for e in lines:
        n += 1
        if e[0] == "scan":
            _, path, line, rule, sev, api, rpath, rline = e
            hit = [f for f in found if rel(f["path"], pre) == path and f["line"] == int(line) and f["rule"] == rule]
            if rpath != "-":
                hit = [f for f in hit if (f.get("related") or [{}])[0].get("path") == pre + rpath] or hit
            if not hit:
                near = [f"{rel(f['path'], pre)}:{f['line']} {f['rule']} {f['severity']}" for f in found
                        if f["severity"] != "info"]
                result(False, f"{c}: missing {path}:{line} {rule} {sev} (got: {'; '.join(near) or 'nothing'})")
                continue
            f = hit[0]
            wanted.add(id(f))
            r = (f.get("related") or [{}])[0]
            why = []
            if f["severity"] != sev:
                why.append(f"severity {f['severity']}")
            if api.lower() not in (f["api"] or "").lower():
                why.append(f"api {f['api']!r}")
            if rpath != "-" and (r.get("path") != pre + rpath or str(r.get("line")) != rline):
                why.append(f"related {rel(r['path'], pre) if 'path' in r else None}:{r.get('line')}")
            result(not why, f"{c}: {path}:{line} {rule}: " + ", ".join(why) + f" [{f['message'][:160]}]")
        elif e[0] == "audit":
            _, path, status, reason = e
            d = audit(os.path.join(case, path))
            codes = [r["code"] for r in d["verdict"]["reasons"]]
            good = d["verdict"]["status"] == status and (reason == "-" or reason in codes)
            result(good, f"{c}: audit {path}: {d['verdict']['status']} {codes}, want {status} {reason}")
        elif e[0] == "quiet":
            loud = [f"{rel(f['path'], pre)}:{f['line']} {f['rule']} {f['severity']}" for f in found if f["severity"] != "info"]
            result(not loud, f"{c}: look-alikes reported: {'; '.join(loud)}")
        elif e[0] == "image":
            _, fmt, tree, verdict = e
            tools = {"tar.gz": "tar gzip", "zip(tar.xz)": "tar xz zip", "cpio.gz": "cpio gzip", "ipk": "ar tar gzip",
                     "deb": "ar tar xz"}[fmt].split()
            if not all(shutil.which(t) for t in tools):
                print(f"skip: {c}: {fmt} needs {' '.join(tools)}")
                continue
            out = os.path.join(scratch, c.replace("/", "_") + "." + fmt.replace("(", "_").replace(")", ""))
            ipre = pack(fmt, os.path.join(case, tree), case, out)
            want = sorted(key(f, os.path.join(case, tree) + "/") for f in scan(os.path.join(case, tree)))
            got = sorted(key(f, ipre) for f in scan(out))
            result(want == got, f"{c}: scan of the {fmt} image differs from the tree:\n    tree  {want}\n    image {got}")
            va, vb = audit(os.path.join(case, tree))["verdict"], audit(out)["verdict"]
            result(va["status"] == vb["status"] == verdict and
                   sorted(r["code"] for r in va["reasons"]) == sorted(r["code"] for r in vb["reasons"]),
                   f"{c}: audit of the {fmt} image: {vb['status']} {[r['code'] for r in vb['reasons']]}, "
                   f"the tree: {va['status']} {[r['code'] for r in va['reasons']]}, want {verdict}")
    if c.startswith("gateway/") and not any(e[0] == "image" for e in lines) and shutil.which("tar"):
        # every project packed as a .tar.gz: the same findings at "IMAGE!/member", names joined inside the image
        out = os.path.join(scratch, c.replace("/", "_") + ".tar.gz")
        ipre = pack("tar.gz", case, case, out)
        want = sorted(key(f, pre) for f in found)
        got = sorted(key(f, ipre) for f in scan(out))
        result(want == got, f"{c}: scan of the project as a .tar.gz differs:\n    tree  {want}\n    image {got}")
    extra = [f"{rel(f['path'], pre)}:{f['line']} {f['rule']} {f['severity']}" for f in found
             if f["severity"] != "info" and id(f) not in wanted]
    if c.startswith("gateway/") and extra:
        result(False, f"{c}: unexpected: {'; '.join(extra)}")

# an archive bomb: a clear note from scan and audit, no crash
bomb = os.path.join(scratch, "bomb.tar.gz")
os.makedirs(os.path.join(scratch, "bombdir"))
sh("head -c 300000000 /dev/zero >zeros.img && tar -czf '%s' zeros.img && rm zeros.img" % bomb, os.path.join(scratch, "bombdir"))
rc, d, err = run("scan", AT, "--format", "json", bomb)
notes = [f for f in (d or {}).get("findings", []) if f["rule"] == "archive-unread"]
result(d is not None and notes and "zeros.img" in notes[0]["path"] + notes[0]["message"],
       f"bomb: scan exit {rc}, findings {d and d['findings']}")
rc, d, err = run("audit", AT, "--format", "json", bomb)
notes = [x for x in (d or {}).get("notes", []) if x.get("code") == "archive-limit"]
result(d is not None and notes, f"bomb: audit exit {rc}, notes {d and d['notes']}")

print(f"score: {ok} of {ok + bad} checks pass ({len(cases)} cases)")
for m in msgs:
    print("  FAIL " + m)
sys.exit(1 if bad and not os.environ.get("GW_SCORE") else 0)
PY
exit $fail
