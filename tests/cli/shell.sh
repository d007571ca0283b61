#!/bin/sh
# The shell on a real terminal (§9), driven through tmux as a user types: tab completion (UTF-8
# names, relations, commands), history recall within a run and across runs (kept in
# $XDG_STATE_HOME/charter/history), multi-line input with its continuation prompt, and Ctrl-C
# dropping the line being typed and cancelling a running evaluation, after which the session
# goes on. Ctrl-D leaves.
#   shell.sh CHARTER DIR      (DIR holds shell.charter)
set -u
charter=$1
cd "$2" || exit 1
command -v tmux >/dev/null || { echo "shell.sh: no tmux, skipped"; exit 0; }

work=$(mktemp -d) || exit 1
socket="charter-shell-test-$$"
state="$work/state"
session=first
failures=0
cleanup() {
    tmux -L "$socket" kill-server 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT

awk 'BEGIN { for (i = 1; i <= 2000; i++) print "node N" i }' >"$work/nodes.charter"

fail() {
    echo "FAIL: $1" >&2
    screen | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' | sed 's/^/    | /' >&2
    failures=$((failures + 1))
}
t() { tmux -L "$socket" "$@"; }
# The whole screen and what scrolled off it, wrapped lines joined.
screen() { t capture-pane -t "$session" -p -J -S -2000 2>/dev/null; }
type_text() { t send-keys -t "$session" -l "$1"; }
keys() { t send-keys -t "$session" "$@"; }
count() { screen | grep -cF -- "$1"; }
# Waits (up to 20 s) until the screen holds at least N lines with TEXT.
wait_for() {
    want=${2:-1}
    i=0
    while [ "$i" -lt 200 ]; do
        [ "$(count "$1")" -ge "$want" ] && return 0
        sleep 0.1
        i=$((i + 1))
    done
    fail "timed out waiting for: $1 (x$want)"
    return 1
}
# The line the cursor is on (capture-pane drops trailing spaces).
current_line() {
    y=$(t display-message -t "$session" -p '#{cursor_y}')
    t capture-pane -t "$session" -p | sed -n "$((y + 1))p"
}
# Waits (up to 10 s) until the line the cursor is on holds TEXT; else fails with MESSAGE.
line_shows() {
    i=0
    while [ "$i" -lt 100 ]; do
        case $(current_line) in *"$1"*) return 0 ;; esac
        sleep 0.1
        i=$((i + 1))
    done
    fail "$2"
    return 1
}
start() {
    t new-session -d -s "$session" -x 200 -y 50 \
        "env LANG=C.UTF-8 LC_ALL= XDG_STATE_HOME='$state' NO_COLOR=1 '$charter' shell.charter '$work/nodes.charter'; echo '[shell exited]'; sleep 60"
    wait_for "charter> "
}
prompts() { count "charter> "; }

start

# Tab completes a UTF-8 entity name (and a space after it), then the question runs.
type_text "? reports_to(Øk"
keys Tab
line_shows "? reports_to(Økonomigruppe" "Tab did not complete Øk to Økonomigruppe"
type_text ", ?up)"
keys Enter
wait_for "Fællesudvalget (Fælles udvalg)"

# A relation's name is completed with its opening bracket; Ctrl-C drops the line unrun.
p=$(prompts)
type_text "? suppo"
keys Tab
line_shows "? supports(" "Tab did not complete suppo to supports("
keys C-c
wait_for "charter> " $((p + 1))
case $(current_line) in "charter>") ;; *) fail "after Ctrl-C the prompt is not empty: $(current_line)" ;; esac
screen | grep -q "error" && fail "a line dropped by Ctrl-C was run"

# Two Tabs list the commands that match.
p=$(prompts)
type_text ":wh"
keys Tab
sleep 0.2
keys Tab
wait_for ":whynot"
case $(current_line) in *":why"*) ;; *) fail "Tab did not complete :wh to :why" ;; esac
keys C-c
wait_for "charter> " $((p + 1))

# Up recalls the last question; Enter asks it again.
keys Up
line_shows "? reports_to(Økonomigruppe , ?up)" "Up did not recall the last question"
keys Enter
wait_for "Fællesudvalget (Fælles udvalg)" 2

# A line ending in `:-` goes on, with the continuation prompt.
type_text "rule above(?a, ?b) :-"
keys Enter
wait_for "...> "
type_text "reports_to(?a, ?b)"
keys Enter
type_text "? above(Arbejdsgruppe, ?x)"
keys Enter
wait_for "Økonomigruppe (Økonomigruppen)"

# Ctrl-C cancels a slow evaluation; the session goes on with its model.
p=$(prompts)
type_text "? kind(?a, node), kind(?b, node), kind(?c, node), ?a < ?b, ?b < ?c, ?c < ?a"
keys Enter
sleep 1
keys C-c
wait_for "error: evaluation cancelled"
wait_for "charter> " $((p + 1))
type_text "? above(Arbejdsgruppe, ?x)"
keys Enter
wait_for "Økonomigruppe (Økonomigruppen)" 2
wait_for "charter> " $((p + 2))
sleep 0.2

# Ctrl-D leaves; the history is kept.
keys C-d
wait_for "[shell exited]"
[ -s "$state/charter/history" ] || fail "no history in $state/charter/history"
ls "$state/charter" | grep -q tmp && fail "a temporary history file was left behind"

# A new run recalls the last run's input, the multi-line rule as one line. (The first run's
# window goes after the second starts: tmux leaves when its last session ends.)
first=$session
session=second
start
t kill-session -t "$first"
keys Up
line_shows "? above(Arbejdsgruppe, ?x)" "Up in a new run did not recall the last run's question"
keys Up Up Up
line_shows "rule above(?a, ?b) :- reports_to(?a, ?b)" "the multi-line rule was not recalled as one line"
# Ctrl-D only once the new prompt is up: a Ctrl-D that reaches the terminal while the shell is
# between two lines (the terminal back in cooked mode) is swallowed by the terminal, not by us.
p=$(prompts)
keys C-c
wait_for "charter> " $((p + 1))
sleep 0.2
keys C-d
wait_for "[shell exited]"

[ "$failures" -eq 0 ] && echo "shell.sh: all passed"
exit "$failures"
