#!/usr/bin/env bash
# The test command (`npm test`). Unit and screen tests need nothing; the end-to-end tests run
# against a private dockerd that this script installs (Debian packages, when missing), starts
# with its own socket and data-root, and stops at the end — on two engines at once:
#   Engine 26.1 + Compose 2.26 and Engine 28.5 + Compose 2.40 (what most hosts run).
# Each engine's pass runs in a network namespace of its own (`ip netns`, entered with nsenter),
# with its own loopback, bridges, routes and iptables: the two engines cannot see each other's
# subnets, so both passes run at the same time. Which engine a test file runs on is said in its
# first line, `// engines: 26 28 — why`; a file without that line fails the run. A file whose line
# says `alone` (`// engines: 28 alone — why`) gets a pass of its own on each engine it names, beside
# the others: a long file that mostly waits (healthcheck intervals, crash after crash) then no
# longer adds its length to its engine's other files.
# `test/run.sh unit` runs only the tests that need no engine; `test/run.sh e2e-26` or `e2e-28`
# one engine's pass; `test/run.sh e2e-26-shapes` the real-shapes corpus on Engine 26 too.
# Extra arguments after the scope narrow a pass to those test files.
set -euo pipefail
# tsx compiles tests (and their JSX) with the test tsconfig, which covers test/ and bench/.
export TSX_TSCONFIG_PATH=tsconfig.test.json
cd "$(dirname "$0")/.."

scope=${1:-all}
[ $# -gt 0 ] && shift
unit_tests=$(find test/unit -name '*.test.ts' -o -name '*.test.tsx' | sort)

if [ "$scope" = unit ]; then
  # shellcheck disable=SC2086
  exec node --import tsx --test $unit_tests
fi

# The end-to-end files a release runs, from each file's own `// engines:` line; `shared` or
# `alone` narrows them to the files that share the release's main pass, or that run alone.
e2e_for() {
  local release=$1 which=${2:-all} file line
  for file in $(find test/e2e -name '*.test.ts' -o -name '*.test.tsx' | sort); do
    line=$(head -1 "$file")
    case $line in
      "// engines:"*) ;;
      *) echo "test/run.sh: $file does not say which engines it runs on (first line: // engines: 26 28 — why)" >&2; return 1 ;;
    esac
    line=" ${line%%—*} "
    [[ $line == *" $release "* ]] || continue
    case $which in
      shared) [[ $line == *" alone "* ]] || echo "$file" ;;
      alone) [[ $line == *" alone "* ]] && echo "$file" ;;
      *) echo "$file" ;;
    esac
  done
}

# Reporters: TAP on stdout as always and, when the whole run collects them (NETMIGRATE_TEST_REPORTS,
# set by `all`), a copy in a file of its own, from which the failures are printed again at the end:
# with every pass printing at once, a failing test's lines are lost among the others'.
report_to() {
  [ -n "${NETMIGRATE_TEST_REPORTS:-}" ] || return 0
  echo "--test-reporter=tap --test-reporter-destination=stdout --test-reporter=tap --test-reporter-destination=$(mktemp "$NETMIGRATE_TEST_REPORTS/$1.XXXX")"
}

# One engine's pass, run inside its own network namespace by `in_namespace`: a fresh private
# engine of one release, the given test files, then the engine stops whatever happened.
pass() {
  local release=$1; shift
  echo "# engine $release: $# test files"
  local assignments
  assignments=$(NETMIGRATE_TEST_ENGINE=$release node --import tsx test/harness/engine-cli.ts start) || { echo "engine $release: the private dockerd did not start" >&2; return 1; }
  eval "$assignments"
  local status=0
  (
    export NETMIGRATE_TEST_DOCKER_HOST NETMIGRATE_TEST_ENGINE=$release
    # Engine 28's docker CLI and Compose 2.40, exactly as an operator's PATH and DOCKER_CONFIG would pick them.
    if [ -n "$ENGINE_BIN" ]; then export PATH="$ENGINE_BIN:$PATH" DOCKER_CONFIG="$ENGINE_DOCKER_CONFIG"; fi
    # One engine, so a pass runs its files one at a time: they share subnets and container names.
    node --import tsx --test --test-concurrency=1 $(report_to "${NETMIGRATE_TEST_LABEL:-$release}") "$@"
  ) || status=$?
  node --import tsx test/harness/engine-cli.ts stop "$ENGINE_ROOT" "$ENGINE_PID"
  return "$status"
}

if [ "$scope" = pass ]; then
  pass "$@"
  exit $?
fi

# The pass of `release` in a namespace of its own, nm-<label>-<this shell's pid>, removed after
# (two runs on one machine never share one); its lines prefixed with the label (the release, or
# the release and the file of a pass of its own), since every pass prints at once.
in_namespace() {
  local release=$1; shift
  local label=$release
  if [ "${1:-}" = --label ]; then label=$2; shift 2; fi
  local namespace=nm-${label//[^a-z0-9]/-}-$$
  ip netns add "$namespace"
  ip -n "$namespace" link set lo up
  local status=0
  # nsenter, not `ip netns exec`: that one remounts /sys, and dockerd loses the cgroup mounts under it.
  nsenter --net="/run/netns/$namespace" -- env NETMIGRATE_TEST_LABEL="$label" bash test/run.sh pass "$release" "$@" 2>&1 | sed -u "s/^/[$label] /" || status=$?
  ip netns del "$namespace" 2>/dev/null || true
  return "$status"
}

# The end-to-end tests run the built CLI as users do; build it from the current source.
npm run build --silent
bash test/harness/install-engine.sh

files_for() {
  local release=$1; shift
  if [ $# -gt 0 ]; then printf '%s\n' "$@"; else e2e_for "$release"; fi
}

case $scope in
  e2e-26-shapes)
    in_namespace 26 test/e2e/real-shapes.test.ts
    exit $?
    ;;
  e2e-26 | e2e-28)
    release=${scope#e2e-}
    # shellcheck disable=SC2046
    in_namespace "$release" $(files_for "$release" "$@")
    exit $?
    ;;
  all) ;;
  *) echo "test/run.sh: unknown scope '$scope' (all, unit, e2e-26, e2e-28, e2e-26-shapes)" >&2; exit 2 ;;
esac

started=$(date +%s)
status=0
jobs=()
NETMIGRATE_TEST_REPORTS=$(mktemp -d)
export NETMIGRATE_TEST_REPORTS
# The unit tests, each engine's main pass and each file that runs alone, all at once; each
# reports its own closing line.
# shellcheck disable=SC2086
node --import tsx --test $(report_to unit) $unit_tests 2>&1 | sed -u 's/^/[unit] /' &
jobs+=($!)
for release in 26 28; do
  # shellcheck disable=SC2046
  in_namespace "$release" $(e2e_for "$release" shared) &
  jobs+=($!)
  for file in $(e2e_for "$release" alone); do
    name=$(basename "$file" | sed 's/\.test\.tsx\?$//')
    in_namespace "$release" --label "$release-$name" "$file" &
    jobs+=($!)
  done
done
for job in "${jobs[@]}"; do wait "$job" || status=$?; done
# Every failing test again, whole (its name, error and where), once all passes are done.
for report in "$NETMIGRATE_TEST_REPORTS"/*; do
  awk -v pass="$(basename "$report" | sed 's/\.[^.]*$//')" '
    /^ *not ok / { failing = 1; print "# failed in " pass ":" }
    failing { print; if (++lines > 150) { failing = 0; lines = 0 } }
    failing && /^ *\.\.\.$/ { failing = 0; lines = 0 }' "$report"
done
rm -rf "$NETMIGRATE_TEST_REPORTS"
echo "# tests: done in $(( $(date +%s) - started )) s, exit $status"
exit "$status"
