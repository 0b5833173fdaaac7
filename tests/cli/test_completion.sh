#!/bin/sh
# test_completion.sh BINARY SCRATCH: the bash completion made by `rootshift completion bash` completes command names
# and each command's options as its help lists them; the zsh one is well-formed when zsh is there.
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
if command -v zsh >/dev/null; then zsh -n "$S/_rootshift" && echo "ok   zsh -n" || fails=$((fails + 1)); fi
grep -q "^#compdef rootshift" "$S/_rootshift" && echo "ok   #compdef" || fails=$((fails + 1))
exit $((fails > 0))
