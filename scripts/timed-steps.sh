# Sourced by the deploy scripts (bash 5): `step "what" command args...` runs one
# step and prints how long it took; `steps_done` prints the total.

# Microseconds since the epoch, whatever the locale's decimal separator.
_now_us() { echo "${EPOCHREALTIME//[!0-9]/}"; }
_steps_started=$(_now_us)

_elapsed() {
  local tenths=$(( ($(_now_us) - $1) / 100000 ))
  echo "$((tenths / 10)).$((tenths % 10))"
}

step() {
  local what=$1 started
  started=$(_now_us)
  shift
  printf '==> %s\n' "$what"
  local status=0
  "$@" || status=$?
  if [[ $status -eq 0 ]]; then
    printf '<== %s: %s s\n' "$what" "$(_elapsed "$started")"
  else
    printf '<== %s: FAILED (exit %s) after %s s\n' "$what" "$status" "$(_elapsed "$started")" >&2
    return "$status"
  fi
}

steps_done() { printf 'All steps: %s s\n' "$(_elapsed "$_steps_started")"; }
