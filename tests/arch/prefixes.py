#!/usr/bin/env python3
"""prefixes.py: every room's exported names carry the room's prefix, checked on the compiled objects.

Each global symbol (function or variable) an object defines must start with its room's prefix: rs_ in lib/ (the
library, public and private helpers alike), lab_ in lab/, fleet_ in fleet/. The CLI (cli/) is the program itself:
its symbols never leave the executable, so they need no common prefix (its commands are cmd_*, its option tables
cli_*), but none may take another room's prefix, so that a name always tells where it is defined (lab_lock in
cli/ became cli_lab_lock). Static functions are not seen and need none. Types are not in the objects; the rooms'
headers (lab/server.h, fleet/run.h) name theirs lab_* and fleet_* the same way.

    prefixes.py [--only LIST] ROOM=OBJDIR...  check a build (ROOM: lib, lab, fleet or cli); exit 1 and one line per
                                              symbol without its prefix. With --only, just the object files LIST
                                              names (one a line), so a stale object in the build tree is ignored
    prefixes.py --self-test                   compile a tiny tree with unprefixed symbols and expect them found
"""
import os
import subprocess
import sys
import tempfile

PREFIX = {"lib": "rs_", "lab": "lab_", "fleet": "fleet_"}
FREE = {"cli": {"main"}}  # rooms without a prefix of their own, and their symbols that may look like another's


def objects(top, only):
    for dirpath, _, files in os.walk(top):
        for f in sorted(files):
            path = os.path.join(dirpath, f)
            if f.endswith(".o") and (only is None or os.path.abspath(path) in only):
                yield path


def defined(objs):
    """[(object, symbol)]: the global symbols the objects define, from one `nm -P -A`."""
    if not objs:
        return []
    out = subprocess.run(["nm", "-P", "-A"] + objs, capture_output=True, text=True, check=True).stdout
    found = []
    for line in out.splitlines():
        head, _, rest = line.partition(": ")
        parts = rest.split()
        # names in the implementation's space (__odr_asan.*, __gcov_*, ...) are the toolchain's, not the code's
        if len(parts) >= 2 and parts[1] in "TDBRCVWG" and not parts[0].startswith("__"):
            found.append((head, parts[0]))
    return found


def check(rooms, only=None):
    """rooms: [(room, objdir)]. Returns (problems, number of symbols read)."""
    problems, nsyms = [], 0
    for room, top in rooms:
        for obj, sym in defined(list(objects(top, only))):
            nsyms += 1
            name = os.path.relpath(obj, top)
            if room in PREFIX:
                if not sym.startswith(PREFIX[room]):
                    problems.append(f"{room}/: {name} exports {sym} without the prefix {PREFIX[room]}")
            else:
                taken = [p for r, p in PREFIX.items() if sym.startswith(p)]
                if taken and sym not in FREE.get(room, set()):
                    problems.append(f"{room}/: {name} exports {sym} with another room's prefix {taken[0]}")
    return problems, nsyms


def self_test():
    """An unprefixed function in lab/, an unprefixed variable in fleet/, one in lib/ and a lab_ name in cli/ must
    all be found; prefixed names and static functions must not."""
    with tempfile.TemporaryDirectory() as d:
        srcs = {
            "lib/core/a.c": "int rs_ok(void) { return 1; } int helper(void) { return 2; }\n",
            "lab/b.c": "static int quiet(void) { return 3; } int lab_ok(void) { return quiet(); }"
                       " int conn_new(void) { return 4; }\n",
            "fleet/c.c": "int fleet_ok(void) { return 5; } int run_count = 6;\n",
            "cli/d.c": "int cmd_ok(void) { return 7; } int lab_lock(void) { return 8; }\n",
        }
        for rel, text in srcs.items():
            src = os.path.join(d, rel)
            os.makedirs(os.path.dirname(src), exist_ok=True)
            with open(src, "w") as f:
                f.write(text)
            subprocess.run(["cc", "-c", src, "-o", src[:-2] + ".o"], check=True)
        problems, _ = check([(r, os.path.join(d, r)) for r in ("lib", "lab", "fleet", "cli")])
    want = ["lib/: core/a.o exports helper", "lab/: b.o exports conn_new", "fleet/: c.o exports run_count",
            "cli/: d.o exports lab_lock"]
    missing = [w for w in want if not any(p.startswith(w) for p in problems)]
    extra = [p for p in problems if not any(p.startswith(w) for w in want)]
    if missing or extra:
        print("prefixes self-test failed: missing", missing, "unexpected", extra)
        return 1
    print(f"prefixes self-test: the {len(want)} planted names found, nothing else")
    return 0


def main(argv):
    if argv[1:] == ["--self-test"]:
        return self_test()
    only = None
    if len(argv) > 2 and argv[1] == "--only":
        with open(argv[2]) as f:
            only = {os.path.abspath(line.strip()) for line in f if line.strip()}
        argv = argv[:1] + argv[3:]
    rooms = []
    for arg in argv[1:]:
        room, eq, top = arg.partition("=")
        if not eq or (room not in PREFIX and room not in FREE):
            print(__doc__.strip(), file=sys.stderr)
            return 2
        if not os.path.isdir(top):
            print(f"prefixes: {top}: no such directory", file=sys.stderr)
            return 2
        rooms.append((room, top))
    if not rooms:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems, nsyms = check(rooms, only)
    for p in problems:
        print(p)
    print(f"prefixes: {nsyms} exported symbols in {', '.join(r for r, _ in rooms)}: {len(problems)} without their "
          f"room's prefix")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
