#!/usr/bin/env bash
# Runs external checkers over synthesized Kubernetes manifests.
#
# Usage: scripts/conformance.sh [--list-findings] DIR [DIR...]
#
# Each DIR holds synthesized manifests, *.yaml (multi-document) at its top
# level, and possibly audit/ with an audit.k8s.io/v1 Policy. The policy is not
# a Kubernetes API object: it only goes to audit-check, never to kube-score,
# checkov or kubeconform.
#
# Tools, pinned below and installed once into the cache directory
#   ${CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api}
# (a pinned tool is reinstalled only when the installed version differs):
#   kube-score   all default checks, per DIR (cross-object checks such as
#                pod-networkpolicy only see objects of the same DIR)
#   checkov      --framework kubernetes (includes the CKV2_K8S_* graph
#                checks), per DIR, offline
#   kubeconform  -strict against the standalone-strict JSON schemas shipped in
#                the kubernetes-validate PyPI package, for Kubernetes 1.30 and
#                for the newest version that package ships; custom resources
#                against strict schemas made from the CRDs pinned in
#                scripts/crds.txt (the ones the API server test installs);
#                unknown fields, kinds without a schema and duplicate keys
#                are findings
#   psa-check    tools/cmd/psa-check, Pod Security Standards "restricted"
#   audit-check  tools/cmd/audit-check --promise, on every DIR/audit/ (SKIP when
#                no DIR has one): strict decoding, the API server's loader, no
#                Secret body, and every request of the README's promise table
#                at its promised level (the API server's own rule evaluator)
# Installs use only the package registries (Go module proxy, PyPI); the checks
# themselves never use the network.
#
# Findings can be excepted in conformance-exceptions.yaml (format described
# there). All findings are printed, then one summary table. Exit status: 0 when
# every tool ran and every finding is excepted, 1 otherwise, 2 on usage errors.
#
# Environment:
#   CONFORMANCE_CACHE       cache directory (see above)
#   CONFORMANCE_EXCEPTIONS  exceptions file (default: conformance-exceptions.yaml
#                           at the repository root)
#   CONFORMANCE_TOOLS_DIR   Go module holding cmd/psa-check and cmd/audit-check
#                           (default: tools/ at the repository root)
set -euo pipefail

KUBE_SCORE_VERSION=v1.20.0
KUBECONFORM_VERSION=v0.7.0
CHECKOV_VERSION=3.3.30
KUBERNETES_VALIDATE_VERSION=1.37.0
# Oldest Kubernetes version the manifests must validate against; the newest
# one is the newest that kubernetes-validate ${KUBERNETES_VALIDATE_VERSION} ships.
# 1.30: the pod-level appArmorProfile field is GA there; a 1.27-1.29 API server
# with strict field validation rejects it as unknown, and without the field a
# 1.30+ server warns that the AppArmor annotation is deprecated.
MIN_KUBERNETES_VERSION=1.30.0

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
CACHE=${CONFORMANCE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/cdk8s-secure-trading-api}
EXCEPTIONS=${CONFORMANCE_EXCEPTIONS:-$REPO_ROOT/conformance-exceptions.yaml}
TOOLS_DIR=${CONFORMANCE_TOOLS_DIR:-$REPO_ROOT/tools}
CONSTRAINTS=$SCRIPT_DIR/conformance-constraints.txt
HELPER=$SCRIPT_DIR/conformance.py
VENV=$CACHE/venv

log() { printf 'conformance: %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }

usage() {
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"
}

# ---------------------------------------------------------------- arguments
DIRS=()
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --list-findings) ;; # findings are always listed; accepted for compatibility
    --) shift; DIRS+=("$@"); break ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) DIRS+=("$1") ;;
  esac
  shift
done
((${#DIRS[@]})) || { usage >&2; die "no DIR given"; }

command -v go >/dev/null || die "go is required"
command -v python3 >/dev/null || die "python3 is required"
[[ -f $EXCEPTIONS ]] || die "exceptions file $EXCEPTIONS not found"
# Check the exceptions file before any install when a Python with PyYAML is at
# hand (the report checks it again in any case).
for py in "$VENV/bin/python" python3; do
  if "$py" -c 'import yaml' 2>/dev/null; then
    "$py" "$HELPER" check-exceptions "$EXCEPTIONS" || exit 2
    break
  fi
done

MANIFESTS=() # absolute paths of every top-level *.yaml of every DIR
AUDIT_DIRS=()
declare -A DIR_FILES # DIR index -> newline-separated manifest paths
for i in "${!DIRS[@]}"; do
  d=${DIRS[$i]}
  [[ -d $d ]] || die "$d is not a directory"
  d=$(cd "$d" && pwd)
  DIRS[i]=$d
  files=$(find "$d" -mindepth 1 -maxdepth 1 -type f -name '*.yaml' | LC_ALL=C sort)
  [[ -n $files ]] || die "$d has no *.yaml file at its top level"
  DIR_FILES[$i]=$files
  while IFS= read -r f; do MANIFESTS+=("$f"); done <<<"$files"
  [[ -d $d/audit ]] && AUDIT_DIRS+=("$d/audit")
done

RUN=$(mktemp -d "${TMPDIR:-/tmp}/conformance.XXXXXX")
trap 'rm -rf "$RUN"' EXIT
mkdir -p "$RUN/rows" "$CACHE/bin"
printf '%s\n' "${MANIFESTS[@]}" >"$RUN/manifests.txt"
: >"$RUN/rows.tsv"

# add_row NAME PARSER VERSION STATUS [NOTE]: one line of the summary table
add_row() { printf '%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "${5:-}" >>"$RUN/rows.tsv"; }

# ------------------------------------------------------------------ install
# Serialise installs into the shared cache between concurrent runs.
if command -v flock >/dev/null; then
  exec 9>"$CACHE/.install.lock"
  flock 9
fi

# go_mod_version BINARY: the module version a `go install` binary was built from
go_mod_version() {
  [[ -x $1 ]] || return 0
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

# install_go_tool NAME PACKAGE VERSION LOG
install_go_tool() {
  local name=$1 pkg=$2 version=$3 logf=$4 start=$SECONDS
  if [[ $(go_mod_version "$CACHE/bin/$name") == "$version" ]]; then
    return 0
  fi
  log "installing $name $version ..."
  if (cd "$CACHE" && GOBIN="$CACHE/bin" go install "$pkg@$version") >"$logf" 2>&1; then
    log "installed $name $version in $((SECONDS - start))s"
  else
    log "installing $name $version failed (see the $name row)"
    rm -f "$CACHE/bin/$name"
    return 1
  fi
}

venv_versions() {
  "$VENV/bin/python" - <<'EOF' 2>/dev/null
import importlib.metadata as m
print(m.version("checkov"), m.version("kubernetes-validate"))
EOF
}

install_venv() {
  local logf=$1 start=$SECONDS
  if [[ -x $VENV/bin/python && $(venv_versions || true) == "$CHECKOV_VERSION $KUBERNETES_VALIDATE_VERSION" ]]; then
    return 0
  fi
  log "installing checkov $CHECKOV_VERSION and kubernetes-validate $KUBERNETES_VALIDATE_VERSION ..."
  {
    if ! "$VENV/bin/python" -c '' 2>/dev/null; then
      rm -rf "$VENV"
      python3 -m venv "$VENV"
    fi
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
      --constraint "$CONSTRAINTS" \
      "checkov==$CHECKOV_VERSION" "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION"
  } >"$logf" 2>&1 || {
    log "installing checkov failed (see the checkov row)"
    return 1
  }
  log "installed checkov and kubernetes-validate in $((SECONDS - start))s"
}

# prepare_schemas VERSION LOG: echoes the kubeconform schema directory
prepare_schemas() {
  local version=$1 logf=$2 pkgdir dst
  dst=$CACHE/schemas/kubernetes-validate-$KUBERNETES_VALIDATE_VERSION/v$version
  if [[ ! -f $dst/.complete ]]; then
    pkgdir=$("$VENV/bin/python" -c 'import kubernetes_validate, os; print(os.path.dirname(kubernetes_validate.__file__))') || return 1
    rm -rf "$dst"
    "$VENV/bin/python" "$HELPER" prepare-schemas "$pkgdir/kubernetes-json-schema/v$version-local-strict" "$dst" >"$logf" 2>&1 || return 1
    touch "$dst/.complete"
  fi
  echo "$dst"
}

# prepare_crd_schemas LOG: echoes the directory of strict JSON schemas made from the CRDs pinned in
# scripts/crds.txt (downloaded with `go mod download`, as the API server test does), cached by the
# content of that list and of the converter.
prepare_crd_schemas() {
  local logf=$1 key dst line mod sub s dir files=()
  key=$(cat "$SCRIPT_DIR/crds.txt" "$HELPER" | sha256sum | cut -c1-16)
  dst=$CACHE/crd-schemas/$key
  if [[ ! -f $dst/.complete ]]; then
    rm -rf "$dst"
    while IFS= read -r line; do
      read -r mod sub <<<"$line"
      dir=$(cd "$CACHE" && go mod download -json "$mod" 2>>"$logf" |
        "$VENV/bin/python" -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error")))') || return 1
      for s in $sub; do
        if [[ $s == *.yaml ]]; then files+=("$dir/$s"); else files+=("$dir/$s"/*.yaml); fi
      done
    done < <(grep -vE '^[[:space:]]*(#|$)' "$SCRIPT_DIR/crds.txt")
    "$VENV/bin/python" "$HELPER" crd-schemas "$dst" "${files[@]}" >>"$logf" 2>&1 || return 1
    touch "$dst/.complete"
  fi
  echo "$dst"
}

KS_OK=1 KC_OK=1 VENV_OK=1
mkdir -p "$RUN/rows/kube-score" "$RUN/rows/checkov"
install_go_tool kube-score github.com/zegl/kube-score/cmd/kube-score "$KUBE_SCORE_VERSION" "$RUN/rows/kube-score/install.log" || KS_OK=0
install_go_tool kubeconform github.com/yannh/kubeconform/cmd/kubeconform "$KUBECONFORM_VERSION" "$RUN/kubeconform-install.log" || KC_OK=0
install_venv "$RUN/rows/checkov/install.log" || VENV_OK=0

# Kubernetes versions for kubeconform: the minimum, and the newest available.
K8S_VERSIONS=()
if ((VENV_OK)); then
  pkgdir=$("$VENV/bin/python" -c 'import kubernetes_validate, os; print(os.path.dirname(kubernetes_validate.__file__))')
  newest=$("$VENV/bin/python" "$HELPER" schema-versions "$pkgdir" | tail -n 1)
  K8S_VERSIONS=("$MIN_KUBERNETES_VERSION")
  [[ -n $newest && $newest != "$MIN_KUBERNETES_VERSION" ]] && K8S_VERSIONS+=("$newest")
else
  K8S_VERSIONS=("$MIN_KUBERNETES_VERSION" newest)
fi

# Repository tools: rebuilt on every run (Go's build cache keeps that quick).
build_repo_tool() {
  local name=$1 logf=$2
  [[ -d $TOOLS_DIR/cmd/$name ]] || { echo "$TOOLS_DIR/cmd/$name does not exist" >"$logf"; return 1; }
  (cd "$TOOLS_DIR" && go build -o "$CACHE/bin/$name" "./cmd/$name") >"$logf" 2>&1
}
PSA_OK=1 AUDIT_OK=1
mkdir -p "$RUN/rows/psa-check" "$RUN/rows/audit-check"
build_repo_tool psa-check "$RUN/rows/psa-check/install.log" || PSA_OK=0
build_repo_tool audit-check "$RUN/rows/audit-check/install.log" || AUDIT_OK=0

if command -v flock >/dev/null; then exec 9>&-; fi

# The report needs PyYAML: the venv has it; fall back to the system Python.
REPORT_PY=$VENV/bin/python
if ! { [[ -x $REPORT_PY ]] && "$REPORT_PY" -c 'import yaml' 2>/dev/null; }; then
  REPORT_PY=python3
  "$REPORT_PY" -c 'import yaml' 2>/dev/null || die "no Python with PyYAML for the report (installing checkov failed?)"
fi

# ---------------------------------------------------------------------- run
# run_tool ROW ID LABEL CMD...: stdout, stderr and exit code of one invocation
run_tool() {
  local row=$1 id=$2 label=$3 rc=0
  shift 3
  printf '%s\n' "$label" >"$RUN/rows/$row/$id.label"
  "$@" >"$RUN/rows/$row/$id.out" 2>"$RUN/rows/$row/$id.err" || rc=$?
  echo "$rc" >"$RUN/rows/$row/$id.rc"
}

# kube-score: all default checks; objects may not disable checks through
# kube-score/ignore annotations (that goes through the exceptions file) nor
# enable optional ones. --kubernetes-version only drives the stable-version
# (deprecated apiVersion) check.
if ((KS_OK)); then
  add_row kube-score kube-score "$KUBE_SCORE_VERSION" ok
  for i in "${!DIRS[@]}"; do
    mapfile -t files <<<"${DIR_FILES[$i]}"
    run_tool kube-score "$i" "${DIRS[$i]}" "$CACHE/bin/kube-score" score -o json --color never \
      --kubernetes-version "v${MIN_KUBERNETES_VERSION%.*}" \
      --disable-ignore-checks-annotations --disable-optional-checks-annotations "${files[@]}"
  done
else
  add_row kube-score kube-score "$KUBE_SCORE_VERSION" install-failed
fi

# checkov, offline: without an API key it only runs its bundled checks;
# --skip-download and BC_SKIP_MAPPING stop the platform metadata download,
# CKV_SKIP_PACKAGE_UPDATE_CHECK the version check. It runs in an empty working
# directory with an empty config file and a throw-away HOME so that no
# .checkov.yaml can change the checks.
if ((VENV_OK)); then
  add_row checkov checkov "$CHECKOV_VERSION" ok
  mkdir -p "$RUN/checkov-cwd" "$RUN/checkov-home"
  echo '{}' >"$RUN/checkov-cwd/config.yaml"
  for i in "${!DIRS[@]}"; do
    mapfile -t files <<<"${DIR_FILES[$i]}"
    run_tool checkov "$i" "${DIRS[$i]}" \
      env -C "$RUN/checkov-cwd" -u BC_API_KEY -u PRISMA_API_URL -u BC_API_URL \
      HOME="$RUN/checkov-home" BC_SKIP_MAPPING=TRUE CKV_SKIP_PACKAGE_UPDATE_CHECK=true \
      CHECKOV_RUN_SCA_PACKAGE_SCAN_V2=false ANSI_COLORS_DISABLED=1 LOG_LEVEL=WARNING \
      "$VENV/bin/checkov" --config-file "$RUN/checkov-cwd/config.yaml" \
      --framework kubernetes --skip-download --skip-results-upload -o json \
      -f "${files[@]}"
  done
else
  add_row checkov checkov "$CHECKOV_VERSION" install-failed
fi

# kubeconform, strict, one row per Kubernetes version, local schemas only.
for v in "${K8S_VERSIONS[@]}"; do
  row=kubeconform-${v%.*}
  mkdir -p "$RUN/rows/$row"
  version="$KUBECONFORM_VERSION, schemas $v"
  if ((KC_OK && VENV_OK)) && schemas=$(prepare_schemas "$v" "$RUN/rows/$row/install.log") &&
    crd_schemas=$(prepare_crd_schemas "$RUN/rows/$row/install.log"); then
    add_row "$row" kubeconform "$version" ok
    run_tool "$row" 0 "Kubernetes $v" "$CACHE/bin/kubeconform" -strict -summary -output json \
      -n 2 -schema-location "$schemas/{{ .ResourceKind }}{{ .KindSuffix }}.json" \
      -schema-location "$crd_schemas/{{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}.json" "${MANIFESTS[@]}"
  else
    [[ -f $RUN/kubeconform-install.log ]] && cat "$RUN/kubeconform-install.log" >>"$RUN/rows/$row/install.log"
    add_row "$row" kubeconform "$version" install-failed
  fi
done

if ((PSA_OK)); then
  add_row psa-check text "repository build" ok
  run_tool psa-check 0 "manifests" "$CACHE/bin/psa-check" "${MANIFESTS[@]}"
else
  add_row psa-check text "repository build" install-failed
fi

if ((${#AUDIT_DIRS[@]} == 0)); then
  add_row audit-check text "repository build" skipped "no audit/ folder"
elif ((AUDIT_OK)); then
  add_row audit-check text "repository build" ok
  run_tool audit-check 0 "audit policies" "$CACHE/bin/audit-check" --promise "${AUDIT_DIRS[@]}"
else
  add_row audit-check text "repository build" install-failed
fi

# ------------------------------------------------------------------- report
rc=0
"$REPORT_PY" "$HELPER" report "$RUN" "$EXCEPTIONS" || rc=$?
exit "$rc"
