#!/usr/bin/env python3
"""api_size.py: the public header stays a size a person can hold, every function in it documented.

Reads the header that `cmake --install` installs (include/rootshift.h) and counts its function declarations:
top-level declarations with a parameter list, not typedefs (a function pointer type is no function). Fails when
there are more than MAX, and names every function without documentation: a comment that ends on the line just
before the declaration, a comment on the declaration's own line, or the comment of a group of declarations written
on consecutive lines ("Lookups by a hex digest" over rs_catalog_by_sha1 and rs_catalog_by_sha256). With --lib, also
fails when the shared library does not export exactly the declared functions (nm -D): what moved to the private
helpers (lib/rsx/rsx.h) must not leak out, and nothing declared may be missing.

    api_size.py [--max N] [--lib LIBROOTSHIFT_SO] HEADER
    api_size.py --self-test     plant an undocumented function and one too many, expect both found
"""
import re
import subprocess
import sys
import tempfile
import os

MAX = 160


def strip(text):
    """The header with comments and preprocessor lines blanked (newlines kept), and the lines comments end on."""
    # C++ guards (extern "C" { ... }) are no part of the C declarations
    text = re.sub(r"#ifdef __cplusplus\n.*?#endif", lambda m: re.sub(r"[^\n]", " ", m.group(0)), text, flags=re.S)
    out, ends, owns = [], set(), set()
    i, n, line = 0, len(text), 1
    code_on_line = False
    while i < n:
        c = text[i]
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            chunk = text[i:j]
            if code_on_line:
                owns.add(line)  # a trailing comment documents the declaration on its line
            line += chunk.count("\n")
            ends.add(line)
            out.append(re.sub(r"[^\n]", " ", chunk))
            i = j
            continue
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            if code_on_line:
                owns.add(line)
            ends.add(line)
            out.append(" " * (j - i))
            i = j
            continue
        if c == "#" and (i == 0 or text[i - 1] == "\n"):
            j = i
            while True:  # a directive, with its continuation lines
                k = text.find("\n", j)
                if k < 0:
                    k = n
                    break
                if text[k - 1] != "\\":
                    break
                j = k + 1
            chunk = text[i:k]
            line += chunk.count("\n")
            out.append(re.sub(r"[^\n]", " ", chunk))
            i = k
            continue
        if c == "\n":
            line += 1
            code_on_line = False
        elif not c.isspace():
            code_on_line = True
        out.append(c)
        i += 1
    return "".join(out), ends, owns


def functions(text):
    """[(name, first line, last line, documented)] for each function the header declares, in order."""
    code, ends, owns = strip(text)
    found = []
    depth, start, line, start_line = 0, 0, 1, 1
    prev = None  # (last line, documented) of the previous function declaration
    for i, c in enumerate(code):
        if c == "\n":
            line += 1
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
        elif c == ";" and depth == 0:
            decl = code[start:i]
            lead = decl[:len(decl) - len(decl.lstrip())]
            first = start_line + lead.count("\n")
            flat = " ".join(decl.split())
            m = re.search(r"\b(\w+)\s*\((?!\s*\*)", flat)
            if m and not flat.startswith("typedef") and not flat.startswith("extern \"C\"") and "{" not in decl:
                doc = (first - 1) in ends or first in owns or any(l in owns for l in range(first, line + 1))
                if not doc and prev and prev[0] == first - 1 and prev[1]:
                    doc = True
                found.append((m.group(1), first, line, doc))
                prev = (line, doc)
            else:
                prev = None
            start, start_line = i + 1, line
        if depth == 0 and c == "}":
            start, start_line = i + 1, line
    return found


def exported(lib):
    out = subprocess.run(["nm", "-D", "--defined-only", lib], capture_output=True, text=True, check=True).stdout
    return {p[2] for p in (l.split() for l in out.splitlines()) if len(p) == 3 and p[1] in "TW"}


def check(header, limit, lib=None):
    with open(header) as f:
        fns = functions(f.read())
    problems = []
    if len(fns) > limit:
        problems.append(f"{header}: {len(fns)} functions, more than {limit}: move helpers to lib/rsx/rsx.h or "
                        f"merge accessors")
    for name, first, _, doc in fns:
        if not doc:
            problems.append(f"{header}:{first}: {name} has no documentation comment")
    if lib:
        names = {f[0] for f in fns}
        have = {s for s in exported(lib) if s.startswith("rs_")}
        for s in sorted(names - have):
            problems.append(f"{lib}: does not export {s}, which the header declares")
        for s in sorted(have - names):
            problems.append(f"{lib}: exports {s}, which the header does not declare")
    return problems, len(fns)


SAMPLE = """/* a header */
#ifdef __cplusplus
extern "C" {
#endif
#define RS_API
#define MACRO(X) \\
	X(a) X(b)
typedef long (*rs_clock_fn)(void *ctx);
struct rs_opts {
	void (*progress)(void *arg, const char *path);
	int n;
};
/** One. */
RS_API int rs_one(int a,
		  int b);
RS_API int rs_two(void); /* two */
/** A group: three and four. */
RS_API int rs_three(void);
RS_API int rs_four(void);

RS_API int rs_undocumented(const struct rs_opts *o);
#ifdef __cplusplus
}
#endif
"""


def self_test():
    with tempfile.TemporaryDirectory() as d:
        path = os.path.join(d, "h.h")
        with open(path, "w") as f:
            f.write(SAMPLE)
        names = [f[0] for f in functions(SAMPLE)]
        problems, n = check(path, 4)
    want = [f"{path}: 5 functions, more than 4", f"{path}:21: rs_undocumented has no documentation comment"]
    missing = [w for w in want if not any(p.startswith(w) for p in problems)]
    extra = [p for p in problems if not any(p.startswith(w) for w in want)]
    if names != ["rs_one", "rs_two", "rs_three", "rs_four", "rs_undocumented"] or missing or extra:
        print("api_size self-test failed: functions", names, "missing", missing, "unexpected", extra)
        return 1
    print(f"api_size self-test: {n} functions read, the {len(want)} planted problems found, nothing else")
    return 0


def main(argv):
    args = argv[1:]
    if args == ["--self-test"]:
        return self_test()
    limit, lib = MAX, None
    while len(args) > 1 and args[0] in ("--max", "--lib"):
        if args[0] == "--max":
            limit = int(args[1])
        else:
            lib = args[1]
        args = args[2:]
    if len(args) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    problems, n = check(args[0], limit, lib)
    for p in problems:
        print(p)
    print(f"api_size: {n} functions in {os.path.basename(args[0])} (at most {limit}), "
          f"{len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
