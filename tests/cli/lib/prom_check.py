#!/usr/bin/env python3
"""prom_check.py FILE: exit 0 when FILE is valid Prometheus text exposition (version 0.0.4): comments, then samples
`name{label="value",...} number` whose label values escape backslash, double quote and line feed only as \\\\, \\"
and \\n (prometheus.io/docs/instrumenting/exposition_formats). Prints the first bad line otherwise."""
import re, sys

NAME = r"[a-zA-Z_:][a-zA-Z0-9_:]*"
VALUE = r'"(?:[^"\\\n]|\\[\\"n])*"'
SAMPLE = re.compile(rf"^{NAME}(\{{(?:[a-zA-Z_][a-zA-Z0-9_]*={VALUE})(?:,[a-zA-Z_][a-zA-Z0-9_]*={VALUE})*\}})? "
                    r"[-+]?(?:[0-9.eE+-]+|NaN|Inf)$")
COMMENT = re.compile(rf"^# (?:HELP {NAME} .*|TYPE {NAME} (?:counter|gauge|histogram|summary|untyped))$")

data = open(sys.argv[1], "rb").read()
try:
    text = data.decode("utf-8")
except UnicodeDecodeError as e:
    sys.exit(f"not UTF-8: {e}")
lines = text.split("\n")
if not text or lines[-1] != "":
    sys.exit("does not end with a line feed")
samples = 0
for line in lines[:-1]:
    if not (COMMENT.match(line) or SAMPLE.match(line)):
        sys.exit(f"bad line: {line!r}")
    samples += not line.startswith("#")
print(f"{samples} samples")
