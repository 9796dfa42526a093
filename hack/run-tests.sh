#!/usr/bin/env bash
# Builds the solution, runs every test project and prints one closing line summed over all of them:
#   N passed, N failed[, N skipped]
# Extra arguments go to `dotnet test` (for example --filter).
set -uo pipefail
cd "$(dirname "$0")/.."

results=TestResults
rm -rf "$results"
projects=$(find tests -name '*.Tests.csproj' | sort)
expected=$(echo "$projects" | grep -c . || true)

dotnet build SsoOperator.sln -nologo -v:q -clp:ErrorsOnly
build=$?
status=$build
if [ "$build" -eq 0 ]; then
  # One test project at a time: each starts its own servers, and two cores shared by several API servers
  # make timing-sensitive tests (leader failover, reload within seconds) flaky.
  dotnet test SsoOperator.sln --no-build -nologo -m:1 --results-directory "$results" \
    --logger "trx" --logger "console;verbosity=normal" --blame-hang-timeout 15m "$@"
  status=$?
fi

passed=0; failed=0; skipped=0; reports=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  reports=$((reports + 1))
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  value() { echo "$counters" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  passed=$((passed + $(value passed)))
  failed=$((failed + $(value failed) + $(value error) + $(value timeout) + $(value aborted)))
  skipped=$((skipped + $(value notExecuted)))
done

# A project that produced no report (a build failure or a crashed test host) counts as a failure.
if [ -z "${SSO_TEST_FILTERED:-}" ] && [ "$#" -eq 0 ] && [ "$reports" -lt "$expected" ]; then
  failed=$((failed + expected - reports))
fi
[ "$status" -ne 0 ] && [ "$failed" -eq 0 ] && failed=1

line="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && line="$line, $skipped skipped"
echo "$line"
[ "$failed" -eq 0 ]
