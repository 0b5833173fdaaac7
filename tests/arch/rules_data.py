#!/usr/bin/env python3
"""rules_data.py RULES.json LIBDIR: the pinning scanner's API table is data (issue #16). Fails when a needle or
an API name of rules/scan-rules.json (8 bytes or more, with a letter) is written in the scanner's C code
(LIBDIR/pin/*.c, *.h; "SubjectPublicKeyInfo" is a word of X.509, not an API), or when a rule id the code emits is missing from the file."""
import json, pathlib, re, sys

rules = json.load(open(sys.argv[1]))
lib = pathlib.Path(sys.argv[2]) / "pin"
words = set()
for section in ("value_apis", "call_apis", "common_call_apis", "trust_apis", "placeholder_apis", "verify_off",
                "name_call_apis"):
    for e in rules.get(section, []):
        for k in ("needle", "name"):
            v = e.get(k, "")
            # "pin-sha256" is a notation tokens.c reads (HPKP), not an API
            if len(v) >= 8 and re.search(r"[A-Za-z]", v) and v != "pin-sha256":
                words.add(v)
for v in rules.get("name_getters", []):
    if len(v) >= 8:
        words.add(v)
words.update({"BearSSL", "OkHttp", "WiFiClientSecure"})
bad = []
for f in sorted(list(lib.glob("*.c")) + list(lib.glob("*.h"))):
    text = f.read_text().replace("SubjectPublicKeyInfo", "")
    for w in sorted(words):
        if w in text:
            bad.append(f"{f.name}: {w}")
ids = {r["id"] for r in rules["rules"]}
emitted = set()
for f in lib.glob("*.c"):
    emitted.update(re.findall(r'\.rule = "([a-z-]+)"', f.read_text()))
    emitted.update(re.findall(r'h\.rule = [^;]*?"([a-z]+-[a-z-]+)"', f.read_text()))
missing = emitted - ids
if missing:
    bad.append(f"rule ids emitted but not in the rules file: {sorted(missing)}")
# docs/scan.md documents every entry of the built-in file
docs = (pathlib.Path(sys.argv[2]).parent / "docs" / "scan.md").read_text()
for section, v in rules.items():
    if isinstance(v, list) and section != "rules":
        for e in v:
            k = e if isinstance(e, str) else e.get("needle", e.get("key"))
            if f"`{k}`" not in docs:
                bad.append(f"docs/scan.md does not document {section} entry `{k}`")
if bad:
    print("\n".join(bad))
    sys.exit(1)
print(f"ok: {len(words)} API names kept out of {lib}, {len(ids)} rules")
