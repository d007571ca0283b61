#!/usr/bin/env bash
# Charter against SWI-Prolog on the anchor workloads of shared/bench (see docs/performance.md).
#
#   bench/run.sh [OPTIONS] [N ...]
#
#   N ...            organisation sizes (bodies); default 1000 10000 100000
#   --full           also 1000000
#   --reps R         repetitions of every run (default 3); the table shows medians
#   --timeout S      seconds one run may take before it is killed (default 600)
#   --workloads LIST comma-separated subset of w0_load,w1_tc,w2_approver,
#                    w3_consistency,w4_cycles,q_ancestors
#   --variants       also the variant programs: each workload without `import std`
#                    (W_nostd) and Q goal-directed by hand (q_ancestors_magic); they are
#                    checked against the same answers and compared with SWI's time
#                    for the workload they vary
#   --no-swi         run Charter only
#   --charter PATH   the charter binary (default build/charter, built when missing); it is
#                    copied to bench/data/charter-under-test first, so that a rebuild
#                    during a long run cannot change what is measured
#
# For each size it generates the data into bench/data/N/ with shared/bench/gen_org.py
# (kept between runs), copies bench/workloads/*.charter next to it, then runs Charter
# and SWI-Prolog (shared/bench/prolog/anchors.pl) in alternation, measuring wall time and
# peak memory with /usr/bin/time. Every Charter answer is checked against meta.json.
# Prints a Markdown table on standard output (progress goes to standard error) and
# keeps every single run in bench/data/runs.tsv.
#
# Exit status: 0 when every Charter answer was right; 1 when one was wrong or missing
# (error, crash or timeout); 2 on bad usage or a missing tool.
set -euo pipefail

BENCH=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH/.." && pwd)
SHARED_BENCH=${SHARED_BENCH:-$(cd "$ROOT/.." && pwd)/shared/bench}
DATA=$BENCH/data
export LC_ALL=C  # bytewise sort, the same as Python's

SIZES=()
FULL=0
WITH_VARIANTS=0
REPS=3
TIMEOUT=600
WORKLOADS=(w0_load w1_tc w2_approver w3_consistency w4_cycles q_ancestors)
SWI=1
CHARTER=$ROOT/build/charter

# The workload a variant program varies: w1_tc_nostd -> w1_tc.
base_of() { local w=${1%_nostd}; echo "${w%_magic}"; }

# The question each workload's answer is printed by (`charter query FILE -e QUESTION`).
declare -A QUESTION=(
  [w0_load]='? relation_size(?relation, ?n)'
  [w1_tc]='? count_tc(?n)'
  [w2_approver]='? count_approver_of(?n)'
  [w3_consistency]='? count_bad(?what, ?n)'
  [w4_cycles]='? count_in_cycle(?n)'
  [q_ancestors]='? count_q(?n)'
)
VARIANTS=(w0_load_nostd w1_tc_nostd w2_approver_nostd w3_consistency_nostd w4_cycles_nostd
          q_ancestors_nostd q_ancestors_magic)
for v in "${VARIANTS[@]}"; do QUESTION[$v]=${QUESTION[$(base_of "$v")]}; done

log() { printf '%s\n' "$*" >&2; }
die() { log "run.sh: $*"; exit 2; }

parse_args() {
  while (($#)); do
    case $1 in
      --full) FULL=1 ;;
      --reps) REPS=$2; shift ;;
      --timeout) TIMEOUT=$2; shift ;;
      --workloads) IFS=, read -r -a WORKLOADS <<<"$2"; shift ;;
      --variants) WITH_VARIANTS=1 ;;
      --no-swi) SWI=0 ;;
      --charter) CHARTER=$2; shift ;;
      -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
      [0-9]*) SIZES+=("$1") ;;
      *) die "unknown argument '$1' (see --help)" ;;
    esac
    shift
  done
  ((${#SIZES[@]})) || SIZES=(1000 10000 100000)
  ((FULL)) && SIZES+=(1000000)
  ((WITH_VARIANTS)) && WORKLOADS+=("${VARIANTS[@]}")
  local w
  for w in "${WORKLOADS[@]}"; do
    [[ -n ${QUESTION[$w]:-} ]] || die "unknown workload '$w'"
  done
}

# ------------------------------------------------------------------- tools

apt_install() {
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  log "run.sh: installing $*"
  $sudo apt-get update -q </dev/null >&2
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends "$@" </dev/null >&2
}

ensure_tools() {
  [ -x /usr/bin/time ] || apt_install time
  command -v python3 >/dev/null || apt_install python3
  if ((SWI)) && ! command -v swipl >/dev/null; then apt_install swi-prolog-nox; fi
  if [ ! -x "$CHARTER" ]; then
    [ "$CHARTER" = "$ROOT/build/charter" ] || die "no charter binary at $CHARTER"
    log "run.sh: building Charter (tools/setup.sh)"
    bash "$ROOT/tools/setup.sh" >&2
  fi
  [ -f "$SHARED_BENCH/gen_org.py" ] || die "no $SHARED_BENCH/gen_org.py (set SHARED_BENCH)"
}

# Copies the binary under test aside (others may rebuild build/ while a run goes on) and
# says which one it is: its build time and the start of its SHA-256.
pin_charter() {
  mkdir -p "$DATA"
  cp "$CHARTER" "$DATA/charter-under-test.tmp"
  mv "$DATA/charter-under-test.tmp" "$DATA/charter-under-test"
  log "run.sh: measuring a copy of $CHARTER, built $(date -u -r "$CHARTER" '+%F %T UTC')," \
      "sha256 $(sha256sum "$CHARTER" | cut -c1-12)"
  CHARTER=$DATA/charter-under-test
}

# -------------------------------------------------------------------- data

# Generates bench/data/N once (gen_org.py is deterministic for a size and seed) and puts
# the current workload files next to the TSV files they load.
prepare_data() {
  local n=$1 dir=$DATA/$1
  if [ ! -f "$dir/meta.json" ]; then
    log "run.sh: generating $dir"
    python3 "$SHARED_BENCH/gen_org.py" "$n" "$dir.tmp" >/dev/null
    rm -rf "$dir"
    mv "$dir.tmp" "$dir"
  fi
  cp "$BENCH"/workloads/*.charter "$dir/"
}

# The right answer of workload $2 on size $1, in the form Charter prints it with
# --format csv, header dropped and rows sorted.
expected_answer() {
  python3 - "$DATA/$1/meta.json" "$(base_of "$2")" <<'EOF'
import json, sys
meta = json.load(open(sys.argv[1]))
e, sizes = meta["expected"], meta["sizes"]
rows = {
    "w0_load": [f"{r},{sizes[r]}" for r in
                ("body", "reports_to", "supports", "approver", "person", "member",
                 "established_by", "sponsor", "seat_rule", "escalates", "case")],
    "w1_tc": [str(e["w1_anc"])],
    "w2_approver": [str(e["w2_approver_of"])],
    "w3_consistency": [f"seat,{e['w3_bad_seat']}", f"sponsor,{e['w3_bad_sponsor']}"],
    "w4_cycles": [str(e["w4_in_cycle"])],
    "q_ancestors": [str(e["q_ancestors"])],
}[sys.argv[2]]
print("\n".join(sorted(rows)))
EOF
}

# --------------------------------------------------------------------- runs

# measure OUT CMD...: runs CMD under /usr/bin/time and timeout, its standard output to
# OUT; prints "STATUS SECONDS PEAK_KB CPU_SECONDS" (STATUS: ok, timeout or exitN). CPU time
# (user + system) is kept besides wall time: on a shared machine it is the steadier one.
measure() {
  local out=$1 tf rc
  shift
  tf=$(mktemp)
  local t0=$EPOCHREALTIME t1
  set +e
  /usr/bin/time -f '%e %M %U %S' -o "$tf" timeout "$TIMEOUT" "$@" >"$out" 2>"$out.err"
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  local secs kb user sys status=ok
  read -r secs kb user sys < <(tail -n 1 "$tf")   # time's own %e has only 10 ms resolution
  secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }')
  rm -f "$tf"
  if ((rc == 124)); then status=timeout; secs=$TIMEOUT
  elif ((rc != 0)); then status=exit$rc; fi
  echo "$status ${secs:-0} ${kb:-0} $(awk -v u="${user:-0}" -v s="${sys:-0}" 'BEGIN { printf "%.2f", u + s }')"
}

run_charter() {  # run_charter N WORKLOAD OUT
  local dir=$DATA/$1
  measure "$3" "$CHARTER" query "$dir/$2.charter" -e "${QUESTION[$2]}" --format csv \
    --timeout "$((TIMEOUT * 1000))" --max-tuples 2000000000
}

run_swi() {  # run_swi N WORKLOAD OUT (a variant runs the workload it varies)
  measure "$3" swipl -O --stack-limit=20g "$SHARED_BENCH/prolog/anchors.pl" "$(base_of "$2")" "$DATA/$1"
}

# The rows of Charter's csv answer (RFC 4180: CRLF line ends), header dropped, sorted.
answer_rows() { tail -n +2 "$1" | tr -d '\r' | sort; }

# Checks Charter's csv output against meta.json; prints OK or WRONG.
check_answer() {  # check_answer N WORKLOAD OUT
  if [ "$(answer_rows "$3")" = "$(expected_answer "$1" "$2")" ]; then echo OK; else echo WRONG; fi
}

# SWI prints "relation<TAB>count" lines under its own names: compare the counts only.
check_swi_answer() {  # check_swi_answer N WORKLOAD OUT
  if [ "$(cut -f 2 "$3" | sort)" = "$(expected_answer "$1" "$2" | awk -F, '{ print $NF }' | sort)" ]
  then echo OK; else echo WRONG; fi
}

ratio() { awk -v c="$1" -v s="$2" 'BEGIN { if (c ~ /^[0-9.]+$/ && s ~ /^[0-9.]+$/ && s > 0) printf "%.2f", c / s; else print "-" }'; }

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ------------------------------------------------------------------ the table

TABLE=()
FAILED=0
declare -A SWI_MEDIAN  # [N/workload]: SWI's median, reused for the variants of the workload

# bench_one N WORKLOAD: REPS rounds of one Charter run then one SWI run. A system whose
# run fails or times out is not run again for this workload and size.
bench_one() {
  local n=$1 w=$2 out=$DATA/$1/$2
  local c_times=() s_times=() c_cpu=() s_cpu=() c_kb=0 s_kb=0 c_state=ok s_state=ok r status secs kb v
  ((SWI)) || s_state=off
  local swi_known=${SWI_MEDIAN[$n/$(base_of "$w")]:-}
  [ -n "$swi_known" ] && s_state=known   # measured already for the workload this one varies
  for ((r = 1; r <= REPS; r++)); do
    if [ "$c_state" = ok ] || [ "$c_state" = WRONG ]; then
      read -r status secs kb cpu < <(run_charter "$n" "$w" "$out.charter.out")
      printf '%s\t%s\tcharter\t%s\t%s\t%s\t%s\t%s\n' "$n" "$w" "$r" "$status" "$secs" "$kb" "$cpu" >>"$DATA/runs.tsv"
      if ((kb > c_kb)); then c_kb=$kb; fi   # a killed run's peak counts too
      if [ "$status" = ok ]; then
        c_times+=("$secs"); c_cpu+=("$cpu")
        v=$(check_answer "$n" "$w" "$out.charter.out")
        if [ "$v" != OK ]; then
          c_state=WRONG
          log "run.sh: $w N=$n: WRONG answer: $(answer_rows "$out.charter.out" | tr '\n' ' ')," \
              "expected $(expected_answer "$n" "$w" | tr '\n' ' ')"
        fi
      else
        c_state=$status
        log "run.sh: $w N=$n: charter $status: $(head -c 400 "$out.charter.out.err")"
      fi
    fi
    if [ "$s_state" = ok ]; then
      read -r status secs kb cpu < <(run_swi "$n" "$w" "$out.swi.out")
      printf '%s\t%s\tswi\t%s\t%s\t%s\t%s\t%s\n' "$n" "$w" "$r" "$status" "$secs" "$kb" "$cpu" >>"$DATA/runs.tsv"
      if ((kb > s_kb)); then s_kb=$kb; fi
      if [ "$status" = ok ]; then
        s_times+=("$secs"); s_cpu+=("$cpu")
        if [ "$(check_swi_answer "$n" "$w" "$out.swi.out")" != OK ]; then
          log "run.sh: $w N=$n: swipl answered $(tr '\n\t' ' =' <"$out.swi.out")(not meta.json's)"
        fi
      else
        s_state=$status
        log "run.sh: $w N=$n: swipl $status: $(head -c 400 "$out.swi.out.err")"
      fi
    fi
    log "run.sh: $w N=$n round $r: charter ${c_times[*]:-$c_state} | swi ${s_times[*]:-$s_state}"
  done

  local cm=$c_state sm=$s_state ccpu=- scpu=- c_mib s_mib=-
  ((${#c_times[@]})) && cm=$(printf '%s\n' "${c_times[@]}" | median) && ccpu=$(printf '%s\n' "${c_cpu[@]}" | median)
  ((${#s_times[@]})) && sm=$(printf '%s\n' "${s_times[@]}" | median) && scpu=$(printf '%s\n' "${s_cpu[@]}" | median)
  [ "$sm" = off ] && sm=-
  [ "$sm" = known ] && sm=${swi_known% *} && scpu=${swi_known#* }
  [ "$w" = "$(base_of "$w")" ] && SWI_MEDIAN[$n/$w]="$sm $scpu"
  c_mib=$((c_kb / 1024))
  ((SWI)) && ((s_kb)) && s_mib=$((s_kb / 1024))
  # The answer column: OK, WRONG, or why there is none (timeout, exitN).
  [ "$c_state" = ok ] && c_state=OK
  [ "$c_state" = OK ] || FAILED=1
  TABLE+=("| $w | $n | $cm | $sm | $(ratio "$cm" "$sm") | $ccpu | $scpu | $(ratio "$ccpu" "$scpu") | $c_mib | $s_mib | $c_state |")
}

print_table() {
  echo "| workload | N | Charter median s | SWI median s | Charter/SWI | Charter CPU s | SWI CPU s | CPU Charter/SWI | Charter peak MiB | SWI peak MiB | answer |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s\n' "${TABLE[@]}"
}

main() {
  parse_args "$@"
  ensure_tools
  pin_charter
  log "run.sh: $("$CHARTER" --version 2>/dev/null | head -n 1), $( ((SWI)) && swipl --version), sizes ${SIZES[*]}, $REPS reps, timeout ${TIMEOUT}s"
  local n w
  for n in "${SIZES[@]}"; do
    prepare_data "$n"
    for w in "${WORKLOADS[@]}"; do bench_one "$n" "$w"; done
  done
  print_table | tee "$DATA/table.md"
  if ((FAILED)); then log "run.sh: some Charter answer was wrong or missing"; exit 1; fi
}

main "$@"
