#!/usr/bin/env bash
# The test command (`npm test`). Unit and screen tests need nothing; the end-to-end tests run
# against a private dockerd that this script installs (Debian packages, when missing), starts
# with its own socket and data-root, and stops at the end — on two engines in turn:
#   Engine 26.1 + Compose 2.26: every test file, the crash-injection test included, but the
#   real-shapes corpus run (13 min) and the two-node swarm;
#   Engine 28.5 + Compose 2.40 (what most hosts run): every end-to-end file but the
#   crash-injection and tmux ones, the packaging ones (they need no engine), the ssh:// one
#   (ssh carries the same HTTP to either release), the health-baseline one (compose's --wait
#   and the gate are the same code on both) and the single-node swarm (the two-node one runs
#   here instead); the real-shapes corpus run included. Each engine's pass thus takes about the
#   same time, and CI stays under 45 minutes.
#   `test/run.sh e2e-26-shapes` runs the corpus on Engine 26 too.
# `test/run.sh unit` runs only the tests that need no engine; `test/run.sh e2e-28` only the
# Engine 28 pass.
set -euo pipefail
# tsx compiles tests (and their JSX) with the test tsconfig, which covers test/ and bench/.
export TSX_TSCONFIG_PATH=tsconfig.test.json
cd "$(dirname "$0")/.."

scope=${1:-all}
unit_tests=$(find test/unit -name '*.test.ts' -o -name '*.test.tsx' | sort)
e2e_tests=$(find test/e2e -name '*.test.ts' -o -name '*.test.tsx' 2>/dev/null | sort)
e2e_28_tests=$(echo "$e2e_tests" | grep -v -e crash-resume -e terminal -e npm-package -e single-executable -e ssh-engine -e health-baseline -e /swarm.test)
e2e_26_tests=$(echo "$e2e_tests" | grep -v -e real-shapes -e swarm-nodes)

if [ "$scope" = unit ]; then
  # shellcheck disable=SC2086
  exec node --import tsx --test $unit_tests
fi

# The end-to-end tests run the built CLI as users do; build it from the current source.
npm run build --silent
bash test/harness/install-engine.sh

# Runs test files against a fresh private engine of one release; the engine stops whatever happens.
run_on_engine() {
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
    # One engine, so the end-to-end files run one at a time: they share subnets and container names.
    node --import tsx --test --test-concurrency=1 "$@"
  ) || status=$?
  node --import tsx test/harness/engine-cli.ts stop "$ENGINE_ROOT" "$ENGINE_PID"
  return "$status"
}

status=0
if [ "$scope" = e2e-26-shapes ]; then
  run_on_engine 26 test/e2e/real-shapes.test.ts
  exit $?
fi
if [ "$scope" != e2e-28 ]; then
  # shellcheck disable=SC2086
  run_on_engine 26 $unit_tests $e2e_26_tests || status=$?
fi
# shellcheck disable=SC2086
run_on_engine 28 $e2e_28_tests || status=$?
exit "$status"
