#!/bin/sh
# test_completion.sh BINARY SCRATCH: the bash completion made by `rootshift completion bash` completes command names
# and each command's options as its help lists them, the values of options that take words, lab's subcommands; a
# real bash loads it, and a real zsh (compinit, fpath) binds and runs the zsh one.
bin=$(realpath "$1")
S=$2
rm -rf "$S" && mkdir -p "$S" || exit 2
"$bin" completion bash >"$S/rootshift.bash" || exit 1
"$bin" completion zsh >"$S/_rootshift" || exit 1
fails=0
complete_words() { # WORD... : what bash completes for the last word
  bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _rootshift; echo "${COMPREPLY[*]}"' _ "$S/rootshift.bash" "$@"
}
check() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: '$2', expected '$3'"; fails=$((fails + 1)); fi; }
check "command names" "$(complete_words rootshift reh)" "rehearse"
check "audit --fail-on" "$(complete_words rootshift audit --fail)" "--fail-on"
check "probe --save-chain" "$(complete_words rootshift probe --save)" "--save-chain"
check "inspect --expiring-within" "$(complete_words rootshift inspect --exp)" "--expiring-within"
check "--color everywhere" "$(complete_words rootshift scan --col)" "--color"
check "an unknown command has no options" "$(complete_words rootshift nothing --fo)" ""
"$bin" completion fish >/dev/null 2>&1; check "an unknown shell exits 2" "$?" 2
# values of options, lab's subcommands, help's commands, completion's shells (issue #19)
check "audit --fail-on VALUE" "$(complete_words rootshift audit --fail-on '')" "error warning note"
check "scan --format VALUE" "$(complete_words rootshift scan --format '')" "text json sarif"
check "bundle --format h" "$(complete_words rootshift bundle --format h)" "hashed-dir"
check "probe --protocol mq" "$(complete_words rootshift probe --protocol mq)" "mqtt mqtt-ws"
check "--color VALUE" "$(complete_words rootshift inspect --color '')" "auto always never"
check "--profile azure-i (and files)" "$(cd "$S" && complete_words rootshift audit --profile azure-i)" "azure-iot azure-ica-2026"
check "lab SUBCOMMAND" "$(complete_words rootshift lab '')" "init device serve migrate revert status"
check "lab device add" "$(complete_words rootshift lab device '')" "add"
check "help COMMAND" "$(complete_words rootshift help reh)" "rehearse"
check "completion SHELL" "$(complete_words rootshift completion '')" "bash zsh"
check "verify --profile-store VALUE" "$(complete_words rootshift verify --profile-store r)" "recommended"
# each lab subcommand offers its own options only (status has no --fast-keys, init no --format)
check "lab status --f" "$(complete_words rootshift lab status /tmp/lab --f)" "--format"
check "lab init --f" "$(complete_words rootshift lab init /tmp/lab --f)" "--fast-keys"
check "lab serve --a" "$(complete_words rootshift lab serve /tmp/lab --a)" "--at --auth-timeout --amqp-port --admin-port"
check "lab revert --d" "$(complete_words rootshift lab revert /tmp/lab --d)" "--disconnect"
check "lab revert takes no --to" "$(complete_words rootshift lab revert /tmp/lab --t)" ""
check "lab migrate --to VALUE" "$(complete_words rootshift lab migrate /tmp/lab --to '')" "new next ecc"
# every value offered is one the command takes (a run that is no usage error)
D=$(cd "$(dirname "$0")/../data" && pwd)
for f in $(complete_words rootshift bundle --format ''); do
  [ "$f" = json ] && continue
  rm -rf "$S/b"
  "$bin" bundle --format "$f" -o "$S/b" --from "$D/certifi-2025.01.31.pem" --at 2026-01-02T00:00:00Z >/dev/null 2>&1
  check "bundle --format $f works" "$?" 0
done
for k in $(complete_words rootshift verify --no-key ''); do
  "$bin" verify --chain "$D/g2_ms2017.pem" --store "$D/g2_ms2017.pem" --no-key "$k" --at 2026-01-02T00:00:00Z >/dev/null 2>&1
  check "verify --no-key $k is taken" "$([ $? -ne 2 ] && echo yes)" yes
done
# a real bash loads it as bash-completion does
check "bash: complete -p" "$(bash -c '. "$1"; complete -p rootshift' _ "$S/rootshift.bash")" "complete -o filenames -F _rootshift rootshift"
if command -v zsh >/dev/null; then
  zsh -n "$S/_rootshift" && echo "ok   zsh -n" || fails=$((fails + 1))
  # a real zsh: compinit finds it on fpath and binds it; compadd, _files and _describe stubbed to print their words
  zc() { # WORD... : what the zsh function offers for the last word
    zsh -fc 'fpath=("$1" $fpath); autoload -Uz compinit; compinit -u -d "$1/zcompdump"; shift
      [[ ${_comps[rootshift]} == _rootshift ]] || { print NOT-BOUND; exit; }
      compadd() { [[ $1 == -- ]] && shift; print -r -- "$@"; }; _files() { print FILES; }; _describe() { print DESCRIBE; }
      words=("$@"); CURRENT=$#; PREFIX=${words[-1]}; _rootshift' _ "$S" "$@"
  }
  check "zsh: audit --fail-on VALUE" "$(zc rootshift audit --fail-on '')" "error warning note"
  check "zsh: lab SUBCOMMAND" "$(zc rootshift lab '')" "init device serve migrate revert status"
  check "zsh: lab status options" "$(zc rootshift lab status /tmp/lab --)" "--format --json --color --no-progress --help"
  check "zsh: options" "$(zc rootshift inspect --exp | tr ' ' '\n' | grep -c -- --expiring-within)" "1"
  check "zsh: a file after --store" "$(zc rootshift probe --store '')" "FILES"
  check "zsh: command names" "$(zc rootshift '')" "DESCRIBE"
fi
grep -q "^#compdef rootshift" "$S/_rootshift" && echo "ok   #compdef" || fails=$((fails + 1))
exit $((fails > 0))
