#!/usr/bin/env bash
# Seeds the fuzz corpora: every example, golden input and stdlib file goes to OUT/parse and
# OUT/session, and fuzz/regress/TARGET/* to OUT/TARGET; a golden test run as `query … -e "Q"` also gives OUT/session a seed of its model,
# a line `%%`, then Q (fuzz_session.cpp reads the lines after `%%` as questions).
#
#   bash fuzz/seed.sh OUT
set -euo pipefail
out=${1:?usage: fuzz/seed.sh OUT}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$out/parse" "$out/session"

n=0
while IFS= read -r -d '' file; do
  n=$((n + 1))
  name=$(printf '%s' "${file#"$root"/}" | tr '/' '_')
  cp "$file" "$out/parse/$name"
  cp "$file" "$out/session/$name"
  # `# run: query … -e "Q"` (or -e 'Q'): the model plus its questions.
  run=$(head -n1 "$file")
  if [[ $run == "# run: query"* ]]; then
    questions=$(printf '%s\n' "$run" | grep -oE -- "-e (\"[^\"]*\"|'[^']*')" | sed -E "s/^-e .(.*).$/\1/" || true)
    if [[ -n $questions ]]; then
      { cat "$file"; printf '\n%%%%\n%s\n' "$questions"; } > "$out/session/$name.q"
    fi
  fi
done < <(find "$root/examples" "$root/tests/golden" "$root/stdlib" \
              -type f \( -name '*.charter' -o -name '*.stdin' \) -print0 2>/dev/null | sort -z)
# Inputs a fuzzer once found a problem with (fuzz/regress/TARGET/) seed that target.
for target in parse session; do
  for file in "$root/fuzz/regress/$target"/*; do
    [ -f "$file" ] || continue
    n=$((n + 1))
    cp "$file" "$out/$target/regress_$(basename "$file")"
  done
done
echo "seed: $n files into $out/parse and $out/session" >&2
