#!/usr/bin/env python3
"""layers.py: the library's layering, checked on the compiled objects.

Each module of lib/ has a rank; a module may refer only to symbols defined in modules of a lower rank (and in
itself). Nothing in lib/ may refer to a symbol defined by a front end (lab/, fleet/, cli/). The objects are read
with `nm -P`, so the check sees what the linker sees, macros and inline wrappers included.

    layers.py [--only LIST] LIB_OBJDIR [FRONT_OBJDIR...]
                                             check a build; exit 1 and one line per wrong reference. With
                                             --only, just the object files LIST names (one a line: the build's
                                             own targets), so a stale object left in the build tree is ignored
    layers.py --self-test                    compile a tiny tree with a reference up the order and expect a failure
"""
import os
import subprocess
import sys
import tempfile

# Lowest first. Modules on one rank do not call each other.
ORDER = [
    ["core"],
    ["x509"],
    ["catalog"],
    ["extract"],
    ["trust"],
    ["pin", "net", "azure"],
    ["probe", "bundle"],
]
RANK = {m: r for r, mods in enumerate(ORDER) for m in mods}


ONLY = None  # the set of object files to read, when --only names them


def objects(top):
    for dirpath, _, files in os.walk(top):
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            if f.endswith(".o") and (ONLY is None or os.path.abspath(path) in ONLY):
                yield path


def symbols(objs):
    """{object: (defined, undefined)} global symbol names, from one `nm -P -A` over all the objects."""
    table = {o: (set(), set()) for o in objs}
    if not objs:
        return table
    out = subprocess.run(["nm", "-P", "-A"] + objs, capture_output=True, text=True, check=True).stdout
    for line in out.splitlines():
        head, _, rest = line.partition(": ")
        parts = rest.split()
        if head not in table or len(parts) < 2:
            continue
        name, kind = parts[0], parts[1]
        if kind == "U":
            table[head][1].add(name)
        elif kind in "TDBRCVWG":
            table[head][0].add(name)
    return table


def module_of(obj, top):
    rel = os.path.relpath(obj, top)
    return rel.split(os.sep)[0] if os.sep in rel else "(top)"


def check(lib_top, fronts):
    problems = []
    owner = {}  # symbol -> (module, object)
    refs = []   # (module, object, symbol)
    for obj, (defined, undefined) in symbols(list(objects(lib_top))).items():
        mod = module_of(obj, lib_top)
        for s in defined:
            owner[s] = (mod, obj)
        refs.extend((mod, obj, s) for s in undefined)
    front = {}
    for top in fronts:
        for obj, (defined, _) in symbols(list(objects(top))).items():
            for s in defined:
                front.setdefault(s, obj)
    mods = sorted({m for m, _ in owner.values()} | {m for m, _, _ in refs})
    for m in mods:
        if m not in RANK and m != "(top)":
            problems.append(f"lib/{m}: a module with no place in the order; add it to ORDER in {__file__}")
    for mod, obj, s in sorted(refs):
        if s in owner:
            tmod, tobj = owner[s]
            if tmod == mod or mod not in RANK or tmod not in RANK:
                continue
            if RANK[tmod] >= RANK[mod]:
                problems.append(f"lib/{mod} -> lib/{tmod}: {os.path.basename(obj)} calls {s} "
                                f"({os.path.basename(tobj)}), against the order {order_text()}")
        elif s in front:
            problems.append(f"lib/{mod} -> front end: {os.path.basename(obj)} refers to {s}, "
                            f"defined in {os.path.relpath(front[s])}")
    return problems, len(mods), len(refs)


def order_text():
    return " < ".join("{" + ", ".join(r) + "}" if len(r) > 1 else r[0] for r in ORDER)


def self_test():
    """A reference from core up to trust, and one from lib to a front end, must both be found."""
    with tempfile.TemporaryDirectory() as d:
        srcs = {
            "lib/core/a.c": "int trust_fn(void); int lab_fn(void); int core_fn(void) { return trust_fn() + lab_fn(); }\n",
            "lib/trust/b.c": "int core_fn(void); int trust_fn(void) { return 1; } int t2(void) { return core_fn(); }\n",
            "lab/c.c": "int lab_fn(void) { return 2; }\n",
        }
        for rel, text in srcs.items():
            src = os.path.join(d, rel)
            os.makedirs(os.path.dirname(src), exist_ok=True)
            with open(src, "w") as f:
                f.write(text)
            subprocess.run(["cc", "-c", src, "-o", src[:-2] + ".o"], check=True)
        problems, _, _ = check(os.path.join(d, "lib"), [os.path.join(d, "lab")])
    want = ["lib/core -> lib/trust: a.o calls trust_fn", "lib/core -> front end: a.o refers to lab_fn"]
    missing = [w for w in want if not any(p.startswith(w) for p in problems)]
    extra = [p for p in problems if not any(p.startswith(w) for w in want)]
    if missing or extra:
        print("layers self-test failed: missing", missing, "unexpected", extra)
        return 1
    print("layers self-test: both planted references found, nothing else (2 problems)")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    global ONLY
    if len(argv) > 2 and argv[1] == "--only":
        with open(argv[2]) as f:
            ONLY = {os.path.abspath(line.strip()) for line in f if line.strip()}
        argv = argv[:1] + argv[3:]
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    lib_top, fronts = argv[1], argv[2:]
    if not os.path.isdir(lib_top):
        print(f"layers: {lib_top}: no such directory", file=sys.stderr)
        return 2
    problems, nmods, nrefs = check(lib_top, fronts)
    for p in problems:
        print(p)
    print(f"layers: {nmods} modules, {nrefs} references, order {order_text()}: "
          f"{len(problems)} wrong reference(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
