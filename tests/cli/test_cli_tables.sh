#!/bin/sh
# test_cli_tables.sh BINARY SCRATCH: every command's option table (cli/cmd_*.c, cli/opt.h) is the one source of
# its parsing, help, completions and the man page's option sections:
# - every option a table holds is named in the command's help (its options list, or the synopsis for an option
#   listed without help), so an option added without help fails here;
# - every option the synopsis names is in the table (so the completions, made from the tables, offer it), and
#   every option of the table is in the synopsis (as --name, or as its short form when the help shows one);
# - every option of a table is documented in README.md or docs/*.md (--json: docs/json.md, for every command);
# - every option in a table is parsed: given without its value or with a bad one it is never "unknown";
# - docs/rootshift.1's option sections are what `rootshift help --man` makes of the tables now;
# - the page renders without a warning at 80 columns (man --warnings, groff -ww with tbl), as `man rootshift` in a
#   terminal of 80 columns shows it.
bin=$(realpath "$1")
S=$2
top=$(dirname "$0")/../..
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0
fail() { echo "FAIL $*"; fails=$((fails + 1)); }
"$bin" completion bash >"$S/bash" || exit 1
cmds=$("$bin" help | sed -n 's/^  \([a-z]*\) .*/\1/p')
[ -n "$cmds" ] || { echo "FAIL no command listed by 'rootshift help'"; exit 1; }
for cmd in $cmds; do
  opts=$(sed -n "s/^  $cmd) opts=\"\(.*\)\" ;;\$/\1/p" "$S/bash")
  # a command with subcommands (lab): each has its own arm; the table is their union
  [ -n "$opts" ] || opts=$(sed -n "/^  $cmd) case /,/^    esac ;;\$/s/^    [a-z|]*) opts=\"\(.*\)\" ;;\$/\1/p" "$S/bash" |
    tr ' ' '\n' | sort -u | tr '\n' ' ')
  "$bin" help "$cmd" >"$S/help" || fail "help $cmd exits $?"
  sed '/^$/q' "$S/help" >"$S/synopsis"
  for o in $opts; do
    [ "$o" = --json ] && continue # the alias of --format json on every command (main.c)
    grep -Eq -- "$o([^a-z0-9-]|\$)" "$S/help" || fail "$cmd: $o is in the table but not in 'rootshift help $cmd'"
    # the parser takes it: `CMD OPT --help --help` prints the help (OPT taking the first --help as its value, or
    # not) or rejects the value, never says unknown option, and never gets to work
    parsed=
    for sub in $( [ "$cmd" = lab ] && echo init serve migrate status || echo "-"); do
      if [ "$sub" = - ]; then set -- "$cmd"; else set -- "$cmd" "$sub"; fi
      "$bin" "$@" "$o" --help --help </dev/null >/dev/null 2>"$S/err"
      grep -q "unknown option" "$S/err" || parsed=1
    done
    [ -n "$parsed" ] || fail "$cmd: $o is in the table but not parsed ($(cat "$S/err"))"
  done
  for o in $opts; do
    [ "$o" = --json ] && continue
    [ "$cmd $o" = "check --system" ] && continue # what check does anyway: taken for audit's users, not offered
    grep -Eq -- "$o([^a-z0-9-]|\$)" "$S/synopsis" && continue
    short=$(sed -n "s/^  \(-[a-zA-Z]\), $o\([ =].*\)\{0,1\}\$/\1/p" "$S/help" | head -n 1)
    [ -n "$short" ] && grep -Eq -- "$short( |\$)" "$S/synopsis" && continue
    fail "$cmd: $o is in the table but not in the synopsis of 'rootshift help $cmd'"
  done
  for o in $opts; do
    grep -Eq -- "$o([^a-z0-9-]|\$)" "$top/README.md" "$top"/docs/*.md ||
      fail "$cmd: $o is in the table but neither README.md nor docs/*.md documents it"
  done
  for o in $(grep -Eo -- '--[a-z0-9][a-z0-9-]*' "$S/synopsis" | sort -u); do
    case " $opts --help --version --color " in
    *" $o "*) ;;
    *) fail "$cmd: the synopsis names $o, which is not in its table" ;;
    esac
  done
done
[ $fails -eq 0 ] && echo "ok   tables, help and synopses agree for: $(echo $cmds)"
if "$top/scripts/man-options.sh" "$bin" --check; then echo "ok   docs/rootshift.1 option sections"; else fail "docs/rootshift.1"; fi
# the check can fail: a page whose generated part was edited by hand is caught
sed 's/^\(\.SS inspect\)$/\1 (edited)/' "$top/docs/rootshift.1" >"$S/edited.1"
if MAN="$S/edited.1" "$top/scripts/man-options.sh" "$bin" --check >/dev/null 2>&1; then
  fail "an edited option section passes the man check"
else
  echo "ok   an edited option section fails the man check"
fi
# Rendering warnings: `MANWIDTH=80 man --warnings` and groff with every warning on (-ww), tbl run (-t) and the line
# length man gives at 80 columns; a planted table wider than the line shows that the check can fail.
render_warnings() {
  { MANWIDTH=80 man --warnings=all -l "$1" >/dev/null; groff -t -man -Tutf8 -ww -z -rLL=78n "$1"; } 2>&1
}
if ! command -v groff >/dev/null || ! command -v man >/dev/null; then
  echo "skip man page rendering: no groff or man"
else
  w=$(render_warnings "$top/docs/rootshift.1")
  if [ -n "$w" ]; then fail "docs/rootshift.1 renders with warnings at 80 columns: $w"; else echo "ok   docs/rootshift.1 renders without a warning at 80 columns"; fi
  { cat "$top/docs/rootshift.1"; printf '.TS\nl l.\n0\t%s\n.TE\n' "$(printf 'wide%.0s ' $(seq 30))"; } >"$S/wide.1"
  if [ -n "$(render_warnings "$S/wide.1")" ]; then echo "ok   a table wider than 80 columns is caught"; else fail "a wide table renders without a warning"; fi
fi
exit $((fails > 0))
