#!/usr/bin/env bash
# The test command (`npm test`). Unit and screen tests need nothing; the end-to-end
# tests run against a private dockerd that this script installs (Debian packages,
# when missing), starts with its own socket and data-root, and stops at the end.
# `test/run.sh unit` runs only the tests that need no engine.
set -euo pipefail
# tsx compiles tests (and their JSX) with the test tsconfig, which covers test/ and bench/.
export TSX_TSCONFIG_PATH=tsconfig.test.json
cd "$(dirname "$0")/.."

scope=${1:-all}
unit_tests=$(find test/unit -name '*.test.ts' -o -name '*.test.tsx' | sort)
e2e_tests=$(find test/e2e -name '*.test.ts' -o -name '*.test.tsx' 2>/dev/null | sort)

if [ "$scope" = unit ]; then
  # shellcheck disable=SC2086
  exec node --import tsx --test $unit_tests
fi

# The end-to-end tests run the built CLI as users do; build it from the current source.
npm run build --silent
bash test/harness/install-engine.sh
assignments=$(node --import tsx test/harness/engine-cli.ts start)
eval "$assignments"
export NETMIGRATE_TEST_DOCKER_HOST
trap 'node --import tsx test/harness/engine-cli.ts stop "$ENGINE_ROOT" "$ENGINE_PID"' EXIT

# One engine, so the end-to-end files run one at a time: they share subnets and container names.
# shellcheck disable=SC2086
node --import tsx --test --test-concurrency=1 $unit_tests $e2e_tests
