#!/bin/sh
# What golden files cannot show, because their output never goes to a terminal (§9): colour only
# when stdout is a terminal and neither NO_COLOR nor --no-color says otherwise, and the shell's
# prompt only when standard input is a terminal. `script` (util-linux) provides the terminal.
#   terminal.sh CHARTER DIR      (DIR holds terminal.charter)
set -u
charter=$1
cd "$2" || exit 1
esc=$(printf '\033')
failures=0
# The shell keeps its history in the user's state directory: not the tester's.
XDG_STATE_HOME=$(mktemp -d) || exit 1
export XDG_STATE_HOME
trap 'rm -rf "$XDG_STATE_HOME"' EXIT

fail() {
    echo "FAIL: $1" >&2
    printf '%s\n' "$2" | sed 's/^/    | /' >&2
    failures=$((failures + 1))
}
# Runs a command line with stdin, stdout and stderr on a pseudo-terminal; keeps its exit code.
on_terminal() { script -qec "$1" /dev/null; }
has_colour() { case $1 in *"$esc["*) return 0 ;; *) return 1 ;; esac; }

out=$(unset NO_COLOR; on_terminal "'$charter' check terminal.charter")
rc=$?
has_colour "$out" || fail "check on a terminal is not coloured" "$out"
[ "$rc" -eq 1 ] || fail "check on a terminal exits $rc, not 1" "$out"

out=$(NO_COLOR='' on_terminal "'$charter' check terminal.charter")
has_colour "$out" || fail "an empty NO_COLOR turns colour off (it should not)" "$out"

out=$(NO_COLOR=1 on_terminal "'$charter' check terminal.charter")
has_colour "$out" && fail "NO_COLOR=1 still colours" "$out"

out=$(unset NO_COLOR; on_terminal "'$charter' check --no-color terminal.charter")
has_colour "$out" && fail "--no-color still colours" "$out"

out=$(unset NO_COLOR; "$charter" check terminal.charter 2>&1)
rc=$?
has_colour "$out" && fail "check into a pipe is coloured" "$out"
[ "$rc" -eq 1 ] || fail "check into a pipe exits $rc, not 1" "$out"

out=$(printf ':quit\n' | on_terminal "'$charter' repl terminal.charter")
plain=$(printf '%s' "$out" | sed "s/$esc\[[0-9;]*m//g")
case $plain in *"charter> "*) ;; *) fail "the shell on a terminal shows no prompt" "$out" ;; esac
has_colour "$out" || fail "the shell's prompt on a terminal is not coloured" "$out"

out=$(printf ':quit\n' | NO_COLOR=1 on_terminal "'$charter' repl terminal.charter")
has_colour "$out" && fail "NO_COLOR=1 still colours the shell's prompt" "$out"

# The history lives in $XDG_STATE_HOME/charter/history; when it cannot be written the shell
# says so once and goes on.
out=$(printf '? tag(SSU, ?t)\n? tag(SSU, ?t)\n:quit\n' | on_terminal "'$charter' repl terminal.charter")
[ -s "$XDG_STATE_HOME/charter/history" ] || fail "the shell kept no history in \$XDG_STATE_HOME/charter/history" "$out"
out=$(printf '? tag(SSU, ?t)\n? tag(Lonely, ?t)\n:quit\n' | XDG_STATE_HOME=/dev/null on_terminal "'$charter' repl terminal.charter")
case $out in
*"warning: cannot save the history in /dev/null/charter/history: Not a directory"*) ;;
*) fail "no warning when the history cannot be saved" "$out" ;;
esac
[ "$(printf '%s' "$out" | grep -c 'cannot save the history')" -eq 1 ] || fail "the history warning is not given once" "$out"
case $out in *"top"*) ;; *) fail "the shell did not go on after failing to save the history" "$out" ;; esac

out=$(printf ':quit\n' | "$charter" repl terminal.charter 2>&1)
case $out in *"charter> "*) fail "the shell on a pipe shows a prompt" "$out" ;; esac

[ "$failures" -eq 0 ] && echo "terminal.sh: all passed"
exit "$failures"
