#!/usr/bin/env bash
# Fetches, once, the pinned promtool that `npx projen test:alerts` runs, into
#   ${PROMTOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api/bin}/promtool-<version>
# and prints that path. From the Debian archive (a package registry): the `prometheus` package at the
# pinned version, downloaded with `apt-get download` and unpacked with `dpkg-deb`; nothing is
# installed on the machine. Building promtool from the Go module proxy instead takes over half an hour
# on a small machine (the prometheus module pulls in every service discovery SDK); this takes seconds.
set -euo pipefail

PROMETHEUS_DEB_VERSION=2.42.0+ds-5+deb12u1

CACHE=${PROMTOOL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api/bin}
OUT=$CACHE/promtool-$PROMETHEUS_DEB_VERSION
log() { printf 'promtool: %s\n' "$*" >&2; }

if [[ -x $OUT ]]; then
  echo "$OUT"
  exit 0
fi
command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || { log "apt-get and dpkg-deb are required (a Debian-based machine)"; exit 2; }
mkdir -p "$CACHE"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/promtool.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
log "downloading prometheus=$PROMETHEUS_DEB_VERSION from the Debian archive"
(cd "$WORK" && apt-get download "prometheus=$PROMETHEUS_DEB_VERSION" >/dev/null 2>&1) ||
  { log "apt-get download prometheus=$PROMETHEUS_DEB_VERSION failed"; exit 1; }
dpkg-deb -x "$WORK"/prometheus_*.deb "$WORK/x"
cp "$WORK/x/usr/bin/promtool" "$OUT.tmp"
chmod +x "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
log "$("$OUT" --version 2>&1 | head -1)"
echo "$OUT"
