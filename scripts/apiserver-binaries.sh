#!/usr/bin/env bash
# Builds, once, the pinned etcd, kube-apiserver and kubectl that scripts/apiserver-test.sh runs, into
#   ${APISERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api/apiserver/<kubernetes version>}/bin
# (the cache directory of scripts/conformance.sh), outside the repository. Prints that bin directory.
#
# Everything comes from the Go module proxy; nothing is downloaded from GitHub:
#   kube-apiserver, kubectl  k8s.io/kubernetes, built in a throw-away module that requires it and
#                            replaces every k8s.io/* staging module (listed in its go.mod as
#                            ./staging/src/...) with the matching v0.x release
#   etcd                     go.etcd.io/etcd/server/v3 (etcdmain.Main) in a throw-away module
# A binary is rebuilt only when the module version recorded in it differs from the pin. A cold build
# takes about 15 minutes on 2 cores; a warm run takes a second.
set -euo pipefail

KUBERNETES_VERSION=v1.34.4
ETCD_VERSION=v3.6.16

CACHE=${APISERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api/apiserver/$KUBERNETES_VERSION}
BIN=$CACHE/bin
STAGING_VERSION=v0.${KUBERNETES_VERSION#v1.}

log() { printf 'apiserver-binaries: %s\n' "$*" >&2; }

command -v go >/dev/null || { log "go is required"; exit 2; }
mkdir -p "$BIN"

# Serialise builds into the shared cache between concurrent runs.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.build.lock"
  flock 9
fi

# built_from BINARY MODULE: the version of MODULE recorded in BINARY (main module or dependency)
built_from() {
  [[ -x $1 ]] || return 0
  go version -m "$1" 2>/dev/null | awk -v m="$2" '($1 == "mod" || $1 == "dep") && $2 == m { print $3; exit }'
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/apiserver-binaries.XXXXXX")
trap 'chmod -R u+w "$WORK" 2>/dev/null; rm -rf "$WORK"' EXIT

build_kubernetes() {
  local dir kmod replaces start=$SECONDS
  dir=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" | python3 -c 'import json,sys; print(json.load(sys.stdin)["Dir"])')
  kmod=$dir/go.mod
  # Every `k8s.io/x => ./staging/src/k8s.io/x` of kubernetes' go.mod becomes `k8s.io/x => k8s.io/x <staging version>`.
  replaces=$(awk '$2 == "=>" && $3 ~ /^\.\/staging\// { printf "\t%s => %s %s\n", $1, $1, v }' v="$STAGING_VERSION" "$kmod")
  [[ -n $replaces ]] || { log "no staging replace found in $kmod"; return 1; }
  mkdir -p "$WORK/kubernetes"
  cat >"$WORK/kubernetes/go.mod" <<EOF
module apiserver-build

go $(awk '$1 == "go" { print $2; exit }' "$kmod")

require k8s.io/kubernetes $KUBERNETES_VERSION

replace (
$replaces
)
EOF
  # The version stamp the release build sets (hack/lib/version.sh): without it the binaries call
  # themselves v0.0.0-master and kubectl cannot compare its version with the server's.
  local major=${KUBERNETES_VERSION#v} minor ldflags="" pkg
  minor=${major#*.}
  minor=${minor%%.*}
  major=${major%%.*}
  for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    ldflags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  log "building kube-apiserver and kubectl $KUBERNETES_VERSION (staging modules $STAGING_VERSION); cold: about 15 minutes ..."
  (
    cd "$WORK/kubernetes"
    export GOFLAGS=-mod=mod
    go build -trimpath -ldflags "$ldflags" -o "$BIN/kube-apiserver.new" k8s.io/kubernetes/cmd/kube-apiserver
    go build -trimpath -ldflags "$ldflags" -o "$BIN/kubectl.new" k8s.io/kubernetes/cmd/kubectl
  )
  mv "$BIN/kube-apiserver.new" "$BIN/kube-apiserver"
  mv "$BIN/kubectl.new" "$BIN/kubectl"
  log "built kube-apiserver and kubectl in $((SECONDS - start))s"
}

build_etcd() {
  local start=$SECONDS
  mkdir -p "$WORK/etcd"
  cat >"$WORK/etcd/go.mod" <<EOF
module etcd-build

go 1.24

require go.etcd.io/etcd/server/v3 $ETCD_VERSION
EOF
  cat >"$WORK/etcd/main.go" <<'EOF'
// etcd, the same main as go.etcd.io/etcd/server/v3's own.
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() { etcdmain.Main(os.Args) }
EOF
  log "building etcd $ETCD_VERSION ..."
  (cd "$WORK/etcd" && go mod tidy >/dev/null && go build -trimpath -o "$BIN/etcd.new" .)
  mv "$BIN/etcd.new" "$BIN/etcd"
  log "built etcd in $((SECONDS - start))s"
}

if [[ $(built_from "$BIN/etcd" go.etcd.io/etcd/server/v3) != "$ETCD_VERSION" ]]; then
  build_etcd
fi
# The module version recorded in the binaries, and the version they report.
if [[ $(built_from "$BIN/kube-apiserver" k8s.io/kubernetes) != "$KUBERNETES_VERSION" ||
  $(built_from "$BIN/kubectl" k8s.io/kubernetes) != "$KUBERNETES_VERSION" ||
  $("$BIN/kube-apiserver" --version 2>/dev/null) != "Kubernetes $KUBERNETES_VERSION" ]]; then
  build_kubernetes
fi
echo "$BIN"
