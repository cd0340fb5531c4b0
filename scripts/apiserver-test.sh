#!/usr/bin/env bash
# Puts the synthesized manifests and audit policies in front of a real etcd and kube-apiserver, bound
# to 127.0.0.1 only, with no node, no controller and no container runtime.
#
# Usage: scripts/apiserver-test.sh [--selftest] [--checks LIST] [--verbose] DIR...
#        scripts/apiserver-test.sh --selftest
#
# Each DIR holds synthesized manifests (*.yaml at its top level) and audit/audit-policy.yaml.
# LIST is a comma-separated subset of admission,rbac,audit,crds,admission-policy (default: all five):
#   admission  every built-in object applied server-side with strict field validation into namespaces
#              labelled Pod Security "restricted": all accepted, no warning; a Pod made from each
#              workload's pod template is created directly (no controller runs): admitted, no warning.
#              A privileged Pod must be refused first: the check is live. Objects are applied by
#              `apiserver-check apply` (PATCH application/apply-patch+yaml?fieldValidation=Strict, every
#              Warning header reported) rather than `kubectl apply --server-side --validate=strict`,
#              which validates custom resources against a client-side schema when the server's OpenAPI
#              does not list them yet: here the server alone decides.
#   rbac       the RBAC matrix generated from the emitted Roles and RoleBindings (tools/cmd/apiserver-check
#              rbac), request by request, as each bound user or group and as each emitted ServiceAccount
#              (a real token from the TokenRequest API); cross-checked with kubectl auth can-i.
#   audit      the API server runs with each distinct generated policy (a broken policy must stop it
#              from starting); a table of requests is checked against the audit log it writes, and a
#              Secret's value must never reach that log.
#   crds       the CRDs pinned in scripts/crds.txt (cert-manager, Gateway API, External Secrets, Cilium,
#              Prometheus Operator, Secrets Store CSI, Envoy Gateway, ...), from Go modules, installed
#              and Established; every custom resource of the manifests applied server-side with strict
#              field validation.
#   admission-policy  the folder's ValidatingAdmissionPolicies and bindings (admissionPolicy: true), once
#              effective: the folder's Pods, workloads and Ingresses admitted; a weakened copy of each
#              Pod and workload refused, one per CEL rule, with the policy's message; a Pod of another
#              ServiceAccount using a credential Secret refused; an Ingress with a snippet annotation
#              refused. Dry runs, with the namespace's Pod Security enforcement lowered meanwhile, so
#              that the refusals are the policies' own. A folder without a policy is skipped.
# --selftest runs each check on a bad input from test/apiserver-fixtures/ and passes when each fails;
# with DIRs too, the self-test comes first and the checks follow on the same server (one start, one
# CRD install: what CI does).
#
# Prints one line per check, "PASS|FAIL <check>: <counts>", then "apiserver: N passed, N failed".
# Exit status: 0 when every check passed, 1 otherwise, 2 on usage or set-up errors.
# Needs Go (binaries are built once into the cache, see scripts/apiserver-binaries.sh), openssl, curl.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/.." && pwd)
FIXTURES=$REPO_ROOT/test/apiserver-fixtures
TOOLS_DIR=$REPO_ROOT/tools

# CRDs, from Go modules the proxy serves: "MODULE@VERSION PATH..." lines of scripts/crds.txt, the one
# list of pinned CRD sources (scripts/import-crds.sh generates src/imports/ from the same lines).
mapfile -t CRD_SOURCES < <(grep -vE '^[[:space:]]*(#|$)' "$SCRIPT_DIR/crds.txt")

log() { printf 'apiserver-test: %s\n' "$*" >&2; }
die() { log "$*"; exit 2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "${BASH_SOURCE[0]}"; }

CHECKS=admission,rbac,audit,crds,admission-policy
VERBOSE=0
SELFTEST=0
DIRS=()
while (($#)); do
  case $1 in
    -h | --help) usage; exit 0 ;;
    --checks) CHECKS=${2:?--checks needs a list}; shift ;;
    --verbose | -v) VERBOSE=1 ;;
    --selftest) SELFTEST=1 ;;
    -*) usage >&2; die "unknown option $1" ;;
    *) DIRS+=("$1") ;;
  esac
  shift
done
((SELFTEST || ${#DIRS[@]})) || { usage >&2; die "no DIR given"; }
for c in ${CHECKS//,/ }; do
  case $c in admission | rbac | audit | crds | admission-policy) ;; *) die "unknown check $c" ;; esac
done
wants() { [[ ,$CHECKS, == *,$1,* ]]; }
for i in "${!DIRS[@]}"; do
  [[ -d ${DIRS[$i]} ]] || die "${DIRS[$i]} is not a directory"
  DIRS[i]=$(cd "${DIRS[$i]}" && pwd)
done
for tool in go openssl curl python3; do command -v "$tool" >/dev/null || die "$tool is required"; done

# ------------------------------------------------------------ processes and clean-up
RUN=$(mktemp -d "${TMPDIR:-/tmp}/apiserver-test.XXXXXX")
PIDS=()
# stop_pid PID: TERM, then KILL after 10 s; waits for it.
stop_pid() {
  local pid=$1 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do stop_pid "$pid"; done
  rm -rf "$RUN"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------ binaries
BIN=$(bash "$SCRIPT_DIR/apiserver-binaries.sh") || die "building etcd, kube-apiserver and kubectl failed"
(cd "$TOOLS_DIR" && go build -o "$RUN/apiserver-check" ./cmd/apiserver-check) || die "building tools/cmd/apiserver-check failed"
CHECK=$RUN/apiserver-check
KUBECTL=$BIN/kubectl

# ------------------------------------------------------------ PKI (openssl, at run time)
PKI=$RUN/pki
mkdir -p "$PKI"
make_pki() {
  (
    cd "$PKI"
    openssl ecparam -name prime256v1 -genkey -noout -out ca.key
    openssl req -x509 -new -key ca.key -subj "/CN=apiserver-test-ca" -days 1 -out ca.crt \
      -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
    # sign NAME SUBJECT EXTENSIONS: a key and a certificate signed by the CA
    sign() {
      openssl ecparam -name prime256v1 -genkey -noout -out "$1.key"
      openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
      printf '%s\n' "$3" >"$1.ext"
      openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile "$1.ext" -out "$1.crt"
    }
    sign serving "/CN=kube-apiserver" "$(printf '%s\n' 'subjectAltName=IP:127.0.0.1,DNS:localhost' 'extendedKeyUsage=serverAuth' 'keyUsage=critical,digitalSignature')"
    sign admin "/O=system:masters/CN=apiserver-test-admin" "$(printf '%s\n' 'extendedKeyUsage=clientAuth' 'keyUsage=critical,digitalSignature')"
    # The service-account token signing key.
    openssl genrsa -out sa.key 2048
    openssl rsa -in sa.key -pubout -out sa.pub
  ) >"$RUN/pki.log" 2>&1 || { cat "$RUN/pki.log" >&2; die "making certificates failed"; }
}
make_pki

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# ------------------------------------------------------------ etcd and kube-apiserver
ETCD_PORT=$(free_port)
ETCD_PEER_PORT=$(free_port)
start_etcd() {
  "$BIN/etcd" --name test --data-dir "$RUN/etcd" \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://127.0.0.1:$ETCD_PEER_PORT" \
    --initial-cluster "test=http://127.0.0.1:$ETCD_PEER_PORT" --listen-metrics-urls "" \
    --unsafe-no-fsync --log-level warn >"$RUN/etcd.log" 2>&1 &
  PIDS+=($!)
  ETCD_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    curl -fsS "http://127.0.0.1:$ETCD_PORT/health" >/dev/null 2>&1 && return 0
    kill -0 "$ETCD_PID" 2>/dev/null || break
    sleep 0.2
  done
  tail -n 20 "$RUN/etcd.log" >&2
  die "etcd did not become healthy"
}

APISERVER_PID=
APISERVER_URL=
AUDIT_LOG=
# start_apiserver POLICY: starts kube-apiserver with POLICY as its audit policy and a fresh audit log;
# returns 1 (after printing the end of its log) when it exits or is not ready within 90 s.
start_apiserver() {
  local policy=$1 port i
  stop_apiserver
  port=$(free_port)
  APISERVER_URL=https://127.0.0.1:$port
  AUDIT_LOG=$RUN/audit-$port.log
  "$BIN/kube-apiserver" \
    --bind-address=127.0.0.1 --advertise-address=127.0.0.1 --secure-port="$port" \
    --etcd-servers="http://127.0.0.1:$ETCD_PORT" \
    --tls-cert-file="$PKI/serving.crt" --tls-private-key-file="$PKI/serving.key" \
    --client-ca-file="$PKI/ca.crt" --anonymous-auth=false \
    --service-account-issuer=https://kubernetes.default.svc.cluster.local \
    --service-account-key-file="$PKI/sa.pub" --service-account-signing-key-file="$PKI/sa.key" \
    --service-cluster-ip-range=10.96.0.0/16 \
    --authorization-mode=RBAC --allow-privileged=true \
    --enable-admission-plugins=NamespaceLifecycle,ServiceAccount,PodSecurity \
    --audit-policy-file="$policy" --audit-log-path="$AUDIT_LOG" --audit-log-format=json --audit-log-mode=blocking \
    --profiling=false >"$RUN/apiserver-$port.log" 2>&1 &
  APISERVER_PID=$!
  PIDS+=("$APISERVER_PID")
  write_kubeconfig
  for ((i = 0; i < 450; i++)); do
    if curl -fsS --cacert "$PKI/ca.crt" --cert "$PKI/admin.crt" --key "$PKI/admin.key" "$APISERVER_URL/readyz" >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$APISERVER_PID" 2>/dev/null || break
    sleep 0.2
  done
  APISERVER_LOG_TAIL=$(grep -E '^E|^F|[Ee]rror' "$RUN/apiserver-$port.log" | tail -n 5 || true)
  stop_apiserver
  return 1
}
stop_apiserver() {
  [[ -n $APISERVER_PID ]] || return 0
  stop_pid "$APISERVER_PID"
  APISERVER_PID=
}
write_kubeconfig() {
  export KUBECONFIG=$RUN/kubeconfig
  cat >"$KUBECONFIG" <<EOF
apiVersion: v1
kind: Config
clusters:
- name: test
  cluster: {server: "$APISERVER_URL", certificate-authority: "$PKI/ca.crt"}
users:
- name: admin
  user: {client-certificate: "$PKI/admin.crt", client-key: "$PKI/admin.key"}
contexts:
- name: test
  context: {cluster: test, user: admin}
current-context: test
EOF
}
cluster_flags() { echo --server "$APISERVER_URL" --ca-cert "$PKI/ca.crt" --ca-key "$PKI/ca.key"; }

# ------------------------------------------------------------ helpers
# namespaces_of FILE: the namespaces named by the objects of a v1 List (JSON)
namespaces_of() {
  python3 -c 'import json,sys; print("\n".join(sorted({i["metadata"].get("namespace","") for i in json.load(open(sys.argv[1]))["items"]} - {""})))' "$1"
}
count_items() { python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["items"]))' "$1"; }

# restricted_namespaces NS...: each namespace, labelled Pod Security restricted (enforce, audit, warn;
# latest), with the "default" ServiceAccount the service account controller would add; one
# server-side apply.
restricted_namespaces() {
  python3 - "$@" >"$RUN/namespaces.json" <<'PY'
import json, sys
items = []
for ns in sys.argv[1:]:
    labels = {}
    for mode in ("enforce", "audit", "warn"):
        labels[f"pod-security.kubernetes.io/{mode}"] = "restricted"
        labels[f"pod-security.kubernetes.io/{mode}-version"] = "latest"
    items.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": ns, "labels": labels}})
    items.append({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "default", "namespace": ns}})
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
  server_apply "namespaces" "$RUN/namespaces.json"
}

BUILTIN_GROUPS=$RUN/builtin-groups
record_builtin_groups() {
  "$KUBECTL" api-versions | awk -F/ 'NF == 2 { print $1 }' | sort -u >"$BUILTIN_GROUPS"
}

# ------------------------------------------------------------ admission
# admission_live: a privileged Pod in a restricted namespace must be refused.
admission_live() {
  restricted_namespaces apiserver-test-live || return 1
  if "$KUBECTL" create -f "$FIXTURES/privileged-pod.yaml" --namespace apiserver-test-live >"$RUN/live.out" 2>&1; then
    echo "  the privileged Pod of test/apiserver-fixtures/privileged-pod.yaml was admitted: Pod Security is not enforced"
    return 1
  fi
  grep -q 'violates PodSecurity "restricted' "$RUN/live.out" || { sed 's/^/  /' "$RUN/live.out"; return 1; }
}

# apply_folder DIR: labels the folder's namespaces restricted, applies its built-in objects server-side
# with strict validation, then creates a Pod from each pod template. Sets OBJECTS, PODS, ADMISSION_ERRORS.
apply_folder() {
  local dir=$1 name namespaces
  name=$(basename "$(dirname "$dir")")/$(basename "$dir")
  ADMISSION_ERRORS=0
  "$CHECK" objects --builtin-groups "$BUILTIN_GROUPS" --builtin "$dir" >"$RUN/builtin.json"
  "$CHECK" pods "$dir" >"$RUN/pods.json" 2>/dev/null
  OBJECTS=$(count_items "$RUN/builtin.json")
  PODS=$(count_items "$RUN/pods.json")
  mapfile -t namespaces < <(namespaces_of "$RUN/builtin.json")
  if ((${#namespaces[@]})) && [[ -n ${namespaces[0]} ]]; then
    restricted_namespaces "${namespaces[@]}" || ADMISSION_ERRORS=$((ADMISSION_ERRORS + 1))
  fi
  if ((OBJECTS)); then
    server_apply "$name: objects" "$RUN/builtin.json" || ADMISSION_ERRORS=$((ADMISSION_ERRORS + 1))
  fi
  if ((PODS)); then
    priority_classes "$RUN/pods.json" || ADMISSION_ERRORS=$((ADMISSION_ERRORS + 1))
    server_apply "$name: Pods from pod templates" "$RUN/pods.json" || ADMISSION_ERRORS=$((ADMISSION_ERRORS + 1))
  fi
}

# priority_classes FILE: the PriorityClasses the Pods name, created as the cluster's administrator
# would before deploying (the library references a PriorityClass, it never creates one: like the
# namespace and the credential Secrets, it is the cluster's). Built-in system classes are left alone.
priority_classes() {
  python3 - "$1" >"$RUN/priorityclasses.json" <<'PY'
import json, sys
names = sorted({i["spec"].get("priorityClassName") for i in json.load(open(sys.argv[1]))["items"]} - {None, "system-cluster-critical", "system-node-critical"})
items = [{"apiVersion": "scheduling.k8s.io/v1", "kind": "PriorityClass", "metadata": {"name": n}, "value": 1000000,
          "description": "created by the test as the cluster administrator would"} for n in names]
print(json.dumps({"apiVersion": "v1", "kind": "List", "items": items}))
PY
  [[ $(count_items "$RUN/priorityclasses.json") == 0 ]] || server_apply "PriorityClasses the Pods name" "$RUN/priorityclasses.json"
}

# server_apply WHAT FILE: server-side apply with fieldValidation=Strict (apiserver-check apply: the
# server decides, kubectl could fall back to a client-side schema); refusals and warnings are printed
# and fail. Adds the warnings to WARNINGS.
server_apply() {
  local rc=0
  # shellcheck disable=SC2046
  "$CHECK" apply $(cluster_flags) "$2" >"$RUN/apply.out" 2>&1 || rc=$?
  WARNINGS=$((WARNINGS + $(grep -c '^warning ' "$RUN/apply.out" || true)))
  ((rc == 0)) && return 0
  grep -v '^apply: ' "$RUN/apply.out" | sed "s|^|  $1: |"
  return 1
}

# clean_folder: deletes what apply_folder and crds_folder created (namespaces stay: without the
# namespace controller a deleted namespace would never finish terminating). Unscheduled Pods and
# objects without finalizers go at once.
clean_folder() {
  local files=("$RUN/pods.json" "$RUN/builtin.json")
  [[ -f $RUN/custom.json ]] && files+=("$RUN/custom.json")
  # shellcheck disable=SC2046
  "$CHECK" delete $(cluster_flags) "${files[@]}" >"$RUN/delete.out" 2>&1 || cat "$RUN/delete.out"
  rm -f "$RUN/custom.json"
}

# ------------------------------------------------------------ rbac
# rbac_folder DIR: the matrix (the proof), then kubectl auth can-i as a cross-check. Sets RBAC_LINE.
rbac_folder() {
  local dir=$1 out rc=0
  # shellcheck disable=SC2046
  out=$("$CHECK" rbac $(cluster_flags) $( ((VERBOSE)) && echo -v) "$dir") || rc=$?
  grep -v '^rbac: ' <<<"$out" | sed "s|$REPO_ROOT/||; s|^|  |" || true
  RBAC_LINE=$(grep '^rbac: ' <<<"$out" || true)
  rbac_cross_check "$dir" || rc=1
  return "$rc"
}

# rbac_cross_check DIR: kubectl auth can-i (SubjectAccessReview), impersonating each emitted
# ServiceAccount and each subject of an emitted RoleBinding, must say "no" to the worst requests.
rbac_cross_check() {
  local ns kind subject bad=0 what as
  while IFS=$'\t' read -r ns kind subject; do
    case $kind in
      ServiceAccount) as=(--as "system:serviceaccount:$ns:$subject") ;;
      User) as=(--as "$subject") ;;
      Group) as=(--as can-i-probe --as-group "$subject") ;;
      *) continue ;;
    esac
    for what in "get secrets" "create pods/exec"; do
      # shellcheck disable=SC2086
      if "$KUBECTL" auth can-i $what --namespace "$ns" "${as[@]}" >/dev/null 2>&1; then
        echo "  can-i: $kind $subject may $what in $ns"
        bad=1
      fi
    done
  done < <(python3 -c '
import json, sys
for i in json.load(open(sys.argv[1]))["items"]:
    ns = i["metadata"].get("namespace", "")
    if i["kind"] == "ServiceAccount":
        print(ns, "ServiceAccount", i["metadata"]["name"], sep="\t")
    if i["kind"] == "RoleBinding":
        for s in i.get("subjects", []):
            print(ns, s["kind"], s["name"], sep="\t")
' "$RUN/builtin.json")
  return "$bad"
}

# ------------------------------------------------------------ crds
CRD_COUNT=0
install_crds() {
  local src mod dir sub s files=() i=0
  ((CRD_COUNT == 0)) || return 0 # once per run
  for src in "${CRD_SOURCES[@]}"; do
    read -r mod sub <<<"$src"
    dir=$(cd "$RUN" && go mod download -json "$mod" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("Dir") or sys.exit(d.get("Error")))') ||
      { echo "  go mod download $mod failed"; return 1; }
    # A CRD file inside a folder of the same line (listed there to be imported) is installed with
    # the folder: naming it again would install it twice.
    files=()
    for s in $sub; do
      [[ $s == *.yaml ]] && [[ " $sub " == *" ${s%/*} "* ]] && continue
      files+=("$dir/$s")
    done
    "$CHECK" crds "${files[@]}" >"$RUN/crds-$i.json" 2>"$RUN/crds-$i.skipped" || { cat "$RUN/crds-$i.skipped"; return 1; }
    # Upstream CRDs may draw warnings (Cilium's use an OpenAPI format the server does not know): not ours.
    # shellcheck disable=SC2046
    "$CHECK" apply $(cluster_flags) --allow-warnings "$RUN/crds-$i.json" >"$RUN/crds-$i.out" 2>&1 ||
      { echo "  the CRDs of $mod were refused:"; grep -v '^warning ' "$RUN/crds-$i.out" | sed 's/^/    /'; return 1; }
    CRD_COUNT=$((CRD_COUNT + $(count_items "$RUN/crds-$i.json")))
    i=$((i + 1))
  done
  "$KUBECTL" wait --for condition=Established --timeout=120s crd --all >/dev/null ||
    { echo "  CRDs did not become Established"; return 1; }
}

# crds_folder DIR: applies the folder's custom resources. Sets CUSTOM.
crds_folder() {
  local dir=$1 name namespaces
  name=$(basename "$(dirname "$dir")")/$(basename "$dir")
  "$CHECK" objects --builtin-groups "$BUILTIN_GROUPS" --custom "$dir" >"$RUN/custom.json"
  CUSTOM=$(count_items "$RUN/custom.json")
  ((CUSTOM)) || return 0
  mapfile -t namespaces < <(namespaces_of "$RUN/custom.json")
  if ((${#namespaces[@]})) && [[ -n ${namespaces[0]} ]]; then
    restricted_namespaces "${namespaces[@]}" || return 1
  fi
  server_apply "$name: custom resources" "$RUN/custom.json"
}

# ------------------------------------------------------------ admission-policy
# admission_policy_folder DIR: the policies of the folder against dry runs (apiserver-check
# admission-policy). Adds to VAP_REQUESTS, VAP_WRONG and VAP_FOLDERS.
admission_policy_folder() {
  local dir=$1 out rc=0 n w
  # shellcheck disable=SC2046
  out=$("$CHECK" admission-policy $(cluster_flags) $( ((VERBOSE)) && echo -v) "$dir") || rc=$?
  grep -v '^admission-policy: ' <<<"$out" | sed "s|$REPO_ROOT/||; s|^|  |" || true
  read -r n w < <(sed -nE 's/.* ([0-9]+) dry-run requests, ([0-9]+) wrong.*/\1 \2/p' <<<"$out")
  VAP_REQUESTS=$((VAP_REQUESTS + ${n:-0}))
  VAP_WRONG=$((VAP_WRONG + ${w:-0}))
  ((${n:-0} == 0)) || VAP_FOLDERS=$((VAP_FOLDERS + 1))
  return "$rc"
}

# ------------------------------------------------------------ audit
# audit_live: a broken policy must stop the API server from starting.
audit_live() {
  if start_apiserver "$FIXTURES/broken-audit-policy.yaml"; then
    echo "  the API server started with test/apiserver-fixtures/broken-audit-policy.yaml: the policy is not read"
    return 1
  fi
}

# audit_dirs DIR...: for each distinct policy, a server started with it and the table run for each
# namespace the folders using it deploy into. Sets AUDIT_POLICIES, AUDIT_ROWS; prints failures.
audit_dirs() {
  local dir policy sum ns failed=0 out rc
  declare -A seen_policy=() policy_file=() policy_ns=()
  for dir in "$@"; do
    policy=$dir/audit/audit-policy.yaml
    [[ -f $policy ]] || { echo "  $dir has no audit/audit-policy.yaml"; failed=1; continue; }
    sum=$(sha256sum "$policy" | cut -c1-16)
    policy_file[$sum]=$policy
    "$CHECK" objects --builtin-groups "$BUILTIN_GROUPS" --builtin "$dir" >"$RUN/audit-objects.json"
    while IFS= read -r ns; do
      [[ -n $ns ]] && policy_ns[$sum]+="$ns "
    done < <(namespaces_of "$RUN/audit-objects.json")
  done
  AUDIT_POLICIES=0
  AUDIT_ROWS=0
  for sum in "${!policy_file[@]}"; do
    AUDIT_POLICIES=$((AUDIT_POLICIES + 1))
    if ! start_apiserver "${policy_file[$sum]}"; then
      echo "  the API server did not start with ${policy_file[$sum]}:"
      sed 's/^/    /' <<<"$APISERVER_LOG_TAIL"
      failed=1
      continue
    fi
    for ns in $(tr ' ' '\n' <<<"${policy_ns[$sum]}" | sort -u); do
      rc=0
      # shellcheck disable=SC2046
      out=$("$CHECK" audit $(cluster_flags) $( ((VERBOSE)) && echo -v) --log "$AUDIT_LOG" --namespace "$ns" \
        --unrelated apiserver-test-unrelated) || rc=$?
      grep -v '^audit: ' <<<"$out" | sed "s|^|  |" || true
      AUDIT_ROWS=$((AUDIT_ROWS + $(grep -oE '[0-9]+ requests checked' <<<"$out" | cut -d' ' -f1 || echo 0)))
      ((rc == 0)) || { failed=1; echo "  policy ${policy_file[$sum]#"$REPO_ROOT"/}, namespace $ns: $(grep '^audit: ' <<<"$out" || echo "error (exit $rc)")"; }
    done
  done
  return "$failed"
}

# ------------------------------------------------------------ runs
PASSED=0
FAILED=0
# timed VAR CMD...: runs CMD and adds its wall time (milliseconds) to VAR; returns CMD's status.
timed() {
  local var=$1 start=${EPOCHREALTIME/./} rc=0
  shift
  "$@" || rc=$?
  printf -v "$var" '%d' $((${!var} + (${EPOCHREALTIME/./} - start) / 1000))
  return "$rc"
}
secs() { printf '%d.%ds' $(($1 / 1000)) $(($1 % 1000 / 100)); }
verdict() { # verdict STATUS CHECK COUNTS
  if (($1 == 0)); then
    PASSED=$((PASSED + 1))
    echo "PASS $2: $3"
  else
    FAILED=$((FAILED + 1))
    echo "FAIL $2: $3"
  fi
}

# check_dirs DIR...: the selected checks over the folders, on the running server.
check_dirs() {
  WARNINGS=0
  local t_adm=0 t_rbac=0 t_crds=0 t_audit=0 t_vap=0 vap=0
  VAP_REQUESTS=0 VAP_WRONG=0 VAP_FOLDERS=0
  local dir a d w rbac_wrong=0 adm=0 rb=0 cr=0 objects=0 pods=0 custom=0 folders=0 rbac_requests=0 rbac_allowed=0 rbac_denied=0 live=0
  if wants admission; then
    timed t_adm admission_live || { adm=1; live=1; }
  fi
  if wants crds; then
    timed t_crds install_crds || cr=1
  fi
  for dir in "$@"; do
    folders=$((folders + 1))
    timed t_adm apply_folder "$dir"
    objects=$((objects + OBJECTS))
    pods=$((pods + PODS))
    ((ADMISSION_ERRORS == 0)) || adm=1
    if wants rbac; then
      timed t_rbac rbac_folder "$dir" || rb=1
      read -r a d w < <(sed -nE 's/.*\(([0-9]+) allowed, ([0-9]+) denied\), ([0-9]+) wrong.*/\1 \2 \3/p' <<<"$RBAC_LINE")
      rbac_allowed=$((rbac_allowed + ${a:-0}))
      rbac_denied=$((rbac_denied + ${d:-0}))
      rbac_wrong=$((rbac_wrong + ${w:-0}))
    fi
    if wants crds; then
      timed t_crds crds_folder "$dir" || cr=1
      custom=$((custom + CUSTOM))
    fi
    if wants admission-policy; then
      timed t_vap admission_policy_folder "$dir" || vap=1
    fi
    timed t_adm clean_folder
  done
  if wants admission; then
    local note="privileged Pod refused"
    ((live == 0)) || note="privileged Pod NOT refused"
    verdict "$adm" admission "$folders folders, $objects objects applied, $pods Pods from pod templates, $WARNINGS warnings; $note ($(secs "$t_adm"))"
  fi
  if wants rbac; then
    verdict "$rb" rbac "$folders folders, $((rbac_allowed + rbac_denied)) real requests ($rbac_allowed allowed, $rbac_denied denied), $rbac_wrong not as the matrix wants; kubectl auth can-i cross-check ($(secs "$t_rbac"))"
  fi
  if wants crds; then
    verdict "$cr" crds "$CRD_COUNT CRDs Established, $custom custom resources in $folders folders applied with strict validation ($(secs "$t_crds"))"
  fi
  if wants admission-policy; then
    verdict "$vap" admission-policy "$VAP_FOLDERS of $folders folders with policies, $VAP_REQUESTS dry-run requests, $VAP_WRONG not admitted or refused as the policies must ($(secs "$t_vap"))"
  fi
  if wants audit; then
    local au=0 note="broken policy refused at start"
    timed t_audit audit_live || { au=1; note="broken policy NOT refused"; }
    timed t_audit audit_dirs "$@" || au=1
    verdict "$au" audit "$AUDIT_POLICIES policies, $AUDIT_ROWS requests checked against the audit log; $note ($(secs "$t_audit"))"
  fi
}

start_etcd
start_apiserver "$FIXTURES/minimal-audit-policy.yaml" || { sed 's/^/  /' <<<"$APISERVER_LOG_TAIL" >&2; die "the API server did not start"; }
record_builtin_groups

if ((SELFTEST)); then
  # Each check, on a bad input, must fail. The output of the failing checks is kept for the log.
  # selftest NAME CHECK DIR...: runs in this shell (not a subshell) so every process it starts stays
  # known to the clean-up trap.
  selftest() {
    local name=$1 check=$2 saved=$CHECKS passed=$PASSED failed=$FAILED got
    shift 2
    CHECKS=$check PASSED=0 FAILED=0
    check_dirs "$@" >"$RUN/selftest.out" 2>&1 || true
    got=$FAILED
    CHECKS=$saved PASSED=$passed FAILED=$failed
    sed 's/^/  | /' "$RUN/selftest.out"
    if ((got == 0)); then
      verdict 1 "selftest $name" "the $check check passed on a bad input"
    else
      verdict 0 "selftest $name" "the $check check failed, as it must"
    fi
  }
  selftest "weakened pod" admission "$FIXTURES/weakened-pod"
  selftest "role grants secrets" rbac "$FIXTURES/role-grants-secrets"
  selftest "custom resource, unknown field" crds "$FIXTURES/custom-resource-unknown-field"
  selftest "custom resource, bad type" crds "$FIXTURES/custom-resource-bad-type"
  selftest "policy logs secrets" audit "$FIXTURES/audit-logs-secrets"
  selftest "admission policy missing" admission-policy "$FIXTURES/admission-policy-missing"
fi
if ((${#DIRS[@]})); then
  check_dirs "${DIRS[@]}"
fi
echo "apiserver: $PASSED passed, $FAILED failed"
((FAILED == 0))
