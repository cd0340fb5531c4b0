#!/usr/bin/env bash
# Proves the checkers are live: runs scripts/conformance.sh over deliberately bad manifests
# (test/conformance-fixtures/) and fails unless every tool reports something. A checker that
# silently stopped checking would otherwise turn the real conformance run green.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if bash "$root/scripts/conformance.sh" "$root"/test/conformance-fixtures/* >"$log" 2>&1; then
  cat "$log"
  echo "conformance-selftest: the checkers passed deliberately bad manifests" >&2
  exit 1
fi
status=0
for tool in kube-score checkov kubeconform-1.30 kubeconform-1.37 psa-check audit-check; do
  row=$(grep -E "^\| ${tool} +\|" "$log" || true)
  if [ -z "$row" ] || echo "$row" | grep -qE '\| PASS +\|$'; then
    echo "conformance-selftest: ${tool} did not flag the bad fixtures: ${row:-no row}" >&2
    status=1
  else
    echo "conformance-selftest: ${tool} flagged the bad fixtures: $(echo "$row" | awk -F'|' '{gsub(/ /,"",$5); gsub(/ /,"",$7); print $5 " findings, " $7}')"
  fi
done
[ "$status" -eq 0 ] || cat "$log"
exit "$status"
