#!/usr/bin/env python3
"""audit_summary.py PREFIX < AUDIT.json: the verdict, its reasons, and each anchor with its locations less PREFIX (a
tree's "DIR/", an image's "IMAGE!/", a blob's "BLOB!@N!/"), so that a tree and the image made of it compare line by
line (test_ext4.sh, test_firmware_blob.sh). A location without PREFIX is printed as such, so the comparison fails."""
import json
import sys

pre = sys.argv[1]
d = json.load(sys.stdin)
print("verdict", d["verdict"]["status"], sorted(r["code"] for r in d["verdict"]["reasons"]))
for a in sorted(d["anchors"], key=lambda a: a["sha256"]):
    locs = []
    for l in a["locations"]:
        if not l["path"].startswith(pre):
            print("location outside", pre, ":", l["path"])
            continue
        locs.append((l["path"][len(pre):], l.get("line"), l.get("encoding")))
    print(a["sha256"], a.get("trust"), sorted(locs))
