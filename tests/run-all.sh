#!/usr/bin/env bash
# Runs every test of EditorBridge from a clean checkout: installs what is missing, restores,
# builds (Release), runs each .NET test project, then the editor-plugin suites that exist.
# Every suite runs even when an earlier one fails. The output ends with one line per suite and a
# total; the very last line is exactly "N passed, N failed". Exits non-zero when anything failed.
#
#   bash tests/run-all.sh
#
# Logs of each suite are kept in $EDITORBRIDGE_TEST_LOGS (default: a new temporary folder); a
# failing suite's log tail is printed where it ends.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS
logs=${EDITORBRIDGE_TEST_LOGS:-$(mktemp -d -t editorbridge-tests.XXXXXX)}
mkdir -p "$logs"

summary=()
total_passed=0
total_failed=0

# record NAME PASSED FAILED SECONDS
record() {
  summary+=("$(printf '%-44s %5d passed, %3d failed  (%d s)' "$1" "$2" "$3" "$4")")
  total_passed=$((total_passed + $2))
  total_failed=$((total_failed + $3))
}

finish() {
  echo
  echo "== summary ($((SECONDS - started)) s; logs in $logs)"
  printf '%s\n' "${summary[@]}"
  echo "${total_passed} passed, ${total_failed} failed"
  [ "$total_failed" -eq 0 ]
  exit $?
}

if ! bash tests/prerequisites.sh; then
  record "prerequisites" 0 1 0
  finish
fi
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

t=$SECONDS
if ! dotnet build EditorBridge.sln -c Release >"$logs/build.log" 2>&1; then
  grep -E ' error |error [A-Z]+[0-9]+' "$logs/build.log" | sort -u | head -40
  record "build" 0 1 $((SECONDS - t))
  finish
fi
summary+=("$(printf '%-44s built  (%d s)' "build" $((SECONDS - t)))")

# counters from a TRX file: "total passed failed"
trx_counts() {
  local c
  c=$(grep -o '<Counters [^>]*>' "$1" 2>/dev/null | head -1)
  [ -n "$c" ] || { echo "0 0 0"; return; }
  local total passed failed errors timeout aborted
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$c")
  passed=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$c")
  failed=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$c")
  errors=$(sed -n 's/.* error="\([0-9]*\)".*/\1/p' <<<"$c")
  timeout=$(sed -n 's/.* timeout="\([0-9]*\)".*/\1/p' <<<"$c")
  aborted=$(sed -n 's/.* aborted="\([0-9]*\)".*/\1/p' <<<"$c")
  echo "${total:-0} ${passed:-0} $(( ${failed:-0} + ${errors:-0} + ${timeout:-0} + ${aborted:-0} ))"
}

for project in tests/*.Tests/*.csproj; do
  name=$(basename "$project" .csproj)
  echo "== $name"
  t=$SECONDS
  rm -f "$logs/$name.trx"
  dotnet test "$project" -c Release --no-build --logger "console;verbosity=minimal" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$logs" >"$logs/$name.log" 2>&1
  rc=$?
  read -r _total passed failed < <(trx_counts "$logs/$name.trx")
  # a crashed test host or a run that produced no results still counts as a failure
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  if [ "$failed" -ne 0 ]; then
    grep -E '^\s*(Failed|Error Message|\[xUnit.*\] .*FAIL)' "$logs/$name.log" | head -40
    tail -15 "$logs/$name.log"
  fi
  record "$name" "$passed" "$failed" $((SECONDS - t))
done

export EDITORBRIDGE_CLI="$repo/src/EditorBridge.Cli/bin/Release/net10.0/editorbridge.dll"
for suite in plugins/editors/*/tests/run-tests.sh; do
  [ -f "$suite" ] || continue
  name="editor plugin: $(basename "$(dirname "$(dirname "$suite")")")"
  echo "== $name ($suite)"
  t=$SECONDS
  bash "$suite" 2>&1 | tee "$logs/$(basename "$(dirname "$(dirname "$suite")")").log"
  rc=${PIPESTATUS[0]}
  # the suite prints "unit: N passed, N failed, ..." and "integration: N passed, N failed, ..."
  passed=0 failed=0
  while read -r p f; do
    passed=$((passed + p)); failed=$((failed + f))
  done < <(sed -n 's/^\(unit\|integration\): \([0-9]*\) passed, \([0-9]*\) failed.*/\2 \3/p' "$logs/$(basename "$(dirname "$(dirname "$suite")")").log")
  if [ "$rc" -ne 0 ] && [ "$failed" -eq 0 ]; then failed=1; fi
  record "$name" "$passed" "$failed" $((SECONDS - t))
done

finish
