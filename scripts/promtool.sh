#!/usr/bin/env bash
# Builds, once, the pinned promtool that `npx projen test:alerts` runs, into
#   ${PROMTOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api/bin}/promtool-<version>
# and prints that path. From the Go module proxy only: github.com/prometheus/prometheus at the pinned
# version, copied out of the read-only module cache and built there (`go build ./cmd/promtool`, with
# the module's own go.mod and go.sum). A cold build takes a few minutes on 2 cores; a warm run, none.
set -euo pipefail

PROMETHEUS_MODULE_VERSION=v0.316.0

CACHE=${PROMTOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api/bin}
OUT=$CACHE/promtool-$PROMETHEUS_MODULE_VERSION
log() { printf 'promtool: %s\n' "$*" >&2; }

command -v go >/dev/null || { log "go is required"; exit 2; }
if [[ -x $OUT ]]; then
  echo "$OUT"
  exit 0
fi
mkdir -p "$CACHE"
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.promtool.lock"
  flock 9
  [[ -x $OUT ]] && { echo "$OUT"; exit 0; }
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/promtool.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT
dir=$(cd "$WORK" && GOFLAGS=-mod=mod go mod download -json "github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION" |
  python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error")))')
cp -r "$dir" "$WORK/src"
chmod -R u+w "$WORK/src"
start=$SECONDS
log "building promtool from github.com/prometheus/prometheus@$PROMETHEUS_MODULE_VERSION"
(cd "$WORK/src" && GOWORK=off CGO_ENABLED=0 go build -trimpath -o "$OUT.tmp" ./cmd/promtool)
mv "$OUT.tmp" "$OUT"
log "built in $((SECONDS - start)) s"
echo "$OUT"
