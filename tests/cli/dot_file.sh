#!/bin/sh
# `:dot > FILE` writes FILE whole (a temporary renamed over it: no half file, no leftover), and
# never writes over a model or data file (§9: nothing a user wrote is overwritten).
# Usage: dot_file.sh CHARTER SOURCE_DIR
set -eu
charter=$1
source_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$source_dir/terminal.charter" "$work/model.charter"
cp "$work/model.charter" "$work/model.before"
printf 'old picture\n' > "$work/out.dot"
cd "$work"
printf ':dot > out.dot\n:dot > model.charter\n:dot > data.tsv\n' | NO_COLOR=1 "$charter" repl model.charter > stdout 2> stderr || true
fail() { echo "dot_file: $*"; echo "--- stdout"; cat stdout; echo "--- stderr"; cat stderr; exit 1; }
grep -q '^digraph' out.dot || fail "out.dot was not written"
grep -q '^wrote out.dot$' stdout || fail "no 'wrote out.dot'"
cmp -s model.charter model.before || fail "model.charter was changed"
[ ! -e data.tsv ] || fail "data.tsv was created"
grep -q 'cannot write model.charter: Charter does not write .charter files' stderr || fail "no error for model.charter"
grep -q 'cannot write data.tsv: Charter does not write .tsv files' stderr || fail "no error for data.tsv"
if ls | grep -q '\.tmp'; then fail "a temporary file was left"; fi
echo "dot_file: ok"
