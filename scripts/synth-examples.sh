#!/usr/bin/env bash
# Synthesizes every example with the real cdk8s CLI, the way a user runs it, into the example's dist/.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# The examples import `cdk8s-secure-trading-api` by name, as users do; this link resolves that name
# to the compiled package in this repository (package.json `main`: lib/index.js).
mkdir -p "$root/examples/node_modules"
ln -sfn ../.. "$root/examples/node_modules/cdk8s-secure-trading-api"
# The CLI otherwise asks the npm registry for a newer version of itself on every run.
export CDK8S_CHECK_UPGRADE=false
for dir in "$root"/examples/*/; do
  [ -f "$dir/cdk8s.yaml" ] || continue
  echo "synthesizing ${dir#"$root"/}"
  (cd "$dir" && "$root/node_modules/.bin/cdk8s" synth)
done
