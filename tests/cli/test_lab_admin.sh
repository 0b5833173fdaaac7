#!/bin/sh
# test_lab_admin.sh BINARY SCRATCH: every admin parameter is checked together before anything changes. A table:
# each parameter (to, mix, disconnect) good or bad, alone and in every combination, in both orders; a request with
# any bad, unknown or repeated parameter gets 400 naming each bad one, and the chain and mix stay as they were.
BIN=$1
S=$2
. ./cli/lib/lab.sh
rm -rf "$S" && mkdir -p "$S" || exit 2
LAB=$S/lab
AT=2026-01-01T00:00:00Z
LAB_PID=
trap 'stop_lab' EXIT INT TERM

new_lab admin || exit 2
start_lab "$LAB" "$S/serve.log" --at $AT || exit 1
TOKEN=$(json_field "$LAB/serve.json" admin_token)

# post PATH: the HTTP status; the body in $S/body
post() {
  curl -s -o "$S/body" -w '%{http_code}' --max-time 5 -X POST -H "Authorization: Bearer $TOKEN" \
    "http://127.0.0.1:$ADMIN_PORT$1"
}
state() {
  curl -s --max-time 5 "http://127.0.0.1:$ADMIN_PORT/api/status" |
    sed -n 's/.*"hub_chain":"\([a-z]*\)".*"mix":\([0-9]*\).*/\1 \2/p'
}

# the table: NAME GOOD BAD
set -- "to next bogus" "mix 50 101" "disconnect 1 maybe"
n=0
# every subset of the three parameters, each good or bad: 3^3 - 1 = 26 requests (absent/good/bad per parameter)
for a in - g b; do for m in - g b; do for d in - g b; do
  [ "$a$m$d" = "---" ] && continue
  q= bad=
  for spec in "to:$a:next:bogus" "mix:$m:50:101" "disconnect:$d:1:maybe"; do
    name=${spec%%:*} rest=${spec#*:} pick=${rest%%:*} rest=${rest#*:} good=${rest%%:*} badv=${rest#*:}
    case $pick in
      g) q="$q&$name=$good" ;;
      b) q="$q&$name=$badv" bad="$bad $name" ;;
    esac
  done
  q=${q#&}
  # in the given order and reversed
  rq=$(printf '%s' "$q" | tr '&' '\n' | sed -n '1!G;h;$p' | paste -sd '&' -)
  for query in "$q" "$rq"; do
    # start from old at mix 0, so that a good request changes something
    post "/api/revert?to=old&mix=0" >/dev/null
    before=$(state)
    code=$(post "/api/migrate?$query")
    after=$(state)
    n=$((n + 1))
    if [ -z "$bad" ]; then
      check "migrate?$query: 200" [ "$code" = 200 ]
    else
      check "migrate?$query: 400, state unchanged ($before)" sh -c "[ '$code' = 400 ] && [ '$before' = '$after' ]"
      for b in $bad; do
        check "  ... the reason names '$b'" grep -q "'$b'" "$S/body"
      done
    fi
  done
done; done; done
echo "$n requests in the table"
post "/api/revert?to=old&mix=0" >/dev/null
check "POST /api/migrate?to=bogus&mix=50: 400" [ "$(post '/api/migrate?to=bogus&mix=50')" = 400 ]
check "  ... the chain is unchanged" [ "$(state)" = "old 0" ]
check "an unknown parameter: 400" [ "$(post '/api/migrate?to=new&mixx=50')" = 400 ]
check "a repeated parameter: 400" [ "$(post '/api/migrate?to=new&to=bogus')" = 400 ]
check "an empty mix: 400" [ "$(post '/api/migrate?mix=')" = 400 ]
check "  ... and the chain is still unchanged" [ "$(state)" = "old 0" ]
check "the reason is JSON, with a hostile parameter name escaped" sh -c \
  "[ \"\$(curl -s -o '$S/body' -w '%{http_code}' -X POST -H 'Authorization: Bearer $TOKEN' \
     'http://127.0.0.1:$ADMIN_PORT/api/migrate?%22%5C%0A=1')\" = 400 ] && $PY -c 'import json,sys; json.load(open(sys.argv[1]))' '$S/body'"
check "c2d with an unknown parameter: 400" [ "$(post '/api/c2d?device=x&to=new')" = 400 ]
check "migrate with no parameters still means to=new" [ "$(post '/api/migrate')" = 200 ]
check "  ... and it switched" [ "$(state)" = "new 0" ]
check "lab migrate --to next --mix 20 (the CLI) works" "$BIN" lab migrate "$LAB" --to next --mix 20
check "  ... and it switched" [ "$(state)" = "next 20" ]
stop_lab
check "the server exits 143 on SIGTERM" [ $? -eq 143 ]

echo "$fails failed"
[ $fails -eq 0 ]
