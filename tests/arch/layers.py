#!/usr/bin/env python3
"""layers.py: the library's layering, checked on the compiled objects.

Inside each module of lib/ the files' references run one way too: a circle of files that call each other (a.c
calls b.c, which calls a.c) is reported. So is a circle inside a front end named in CIRCLE_FREE_FRONTS; those in the
other front ends are listed as notes.

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

# Front ends whose files must not call each other in a circle either (a circle there fails the check; server.h
# lists lab/'s files lowest first, fleet/run.h fleet/'s).
CIRCLE_FREE_FRONTS = ["lab", "fleet", "cli"]


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
    lib_table = symbols(list(objects(lib_top)))
    for mod, files in circles(lib_table, lambda o: module_of(o, lib_top)):
        problems.append(f"lib/{mod}: files that call each other: {' <-> '.join(files)}")
    notes = []
    for top in fronts:
        name = os.path.basename(top.rstrip(os.sep))
        for grp, files in circles(symbols(list(objects(top))), lambda o: "front"):
            line = f"{name}/: files that call each other: {' <-> '.join(files)}"
            (problems if name in CIRCLE_FREE_FRONTS else notes).append(line if name in CIRCLE_FREE_FRONTS
                                                                        else "note: " + line)
    return problems + notes, len(mods), len(refs)


def circles(table, group_of):
    """The circles of files that call each other, within one group: a list of (group, [file names])."""
    owner = {}
    for obj, (defined, _) in table.items():
        for s in defined:
            owner[s] = obj
    edges = {}
    for obj, (_, undefined) in table.items():
        edges[obj] = sorted({owner[s] for s in undefined
                             if s in owner and owner[s] != obj and group_of(owner[s]) == group_of(obj)})
    index, low, stack, on, found = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components, iterative so deep graphs cannot overflow
        work = [(v, iter(edges[v]))]
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is not None:
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on.add(nxt)
                    work.append((nxt, iter(edges[nxt])))
                elif nxt in on:
                    low[node] = min(low[node], index[nxt])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                comp = []
                while True:
                    w = stack.pop()
                    on.discard(w)
                    comp.append(w)
                    if w == node:
                        break
                if len(comp) > 1:
                    found.append((group_of(node), sorted(os.path.basename(c) for c in comp)))

    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def order_text():
    return " < ".join("{" + ", ".join(r) + "}" if len(r) > 1 else r[0] for r in ORDER)


def self_test():
    """A reference from core up to trust, one from lib to a front end, a circle in a lib module and one in lab/
    must all be found."""
    with tempfile.TemporaryDirectory() as d:
        srcs = {
            "lib/core/a.c": "int trust_fn(void); int lab_fn(void); int core_fn(void) { return trust_fn() + lab_fn(); }\n",
            "lib/trust/b.c": "int core_fn(void); int trust_fn(void) { return 1; } int t2(void) { return core_fn(); }\n",
            "lab/c.c": "int lab_fn(void) { return 2; }\n",
            "lib/net/x.c": "int y_fn(void); int x_fn(void) { return y_fn(); }\n",
            "lib/net/y.c": "int x_fn(void); int y_fn(void) { return x_fn(); }\n",
            "lab/d.c": "int e_fn(void); int d_fn(void) { return e_fn(); }\n",
            "lab/e.c": "int d_fn(void); int e_fn(void) { return d_fn(); }\n",
            "fleet/p.c": "int q_fn(void); int p_fn(void) { return q_fn(); }\n",  # a circle in a circle-free front end
            "fleet/q.c": "int p_fn(void); int q_fn(void) { return p_fn(); }\n",
        }
        for rel, text in srcs.items():
            src = os.path.join(d, rel)
            os.makedirs(os.path.dirname(src), exist_ok=True)
            with open(src, "w") as f:
                f.write(text)
            subprocess.run(["cc", "-c", src, "-o", src[:-2] + ".o"], check=True)
        problems, _, _ = check(os.path.join(d, "lib"), [os.path.join(d, "lab"), os.path.join(d, "fleet")])
    want = ["lib/core -> lib/trust: a.o calls trust_fn", "lib/core -> front end: a.o refers to lab_fn",
            "lib/net: files that call each other: x.o <-> y.o", "lab/: files that call each other: d.o <-> e.o",
            "fleet/: files that call each other: p.o <-> q.o"]
    missing = [w for w in want if not any(p.startswith(w) for p in problems)]
    extra = [p for p in problems if not any(p.startswith(w) for w in want)]
    if missing or extra:
        print("layers self-test failed: missing", missing, "unexpected", extra)
        return 1
    print(f"layers self-test: the {len(want)} planted problems found, nothing else")
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
    wrong = [p for p in problems if not p.startswith("note: ")]
    print(f"layers: {nmods} modules, {nrefs} references, order {order_text()}: "
          f"{len(wrong)} wrong reference(s) or circle(s)")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
