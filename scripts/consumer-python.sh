#!/usr/bin/env bash
# The Python consumer test: the jsii Python binding tried as a new user would.
#
#   1. builds the wheel with jsii-pacmak (dist/python/);
#   2. creates a fresh virtualenv in a temporary folder outside the repository and pip-installs the
#      wheel together with cdk8s, cdk8s-plus-27 and constructs from PyPI, at the versions the
#      TypeScript example is built with (this repository's node_modules);
#   3. writes main.py = the README's ```python block (which must be examples/trading-gateway-python/main.py),
#      runs the real `cdk8s synth` on it, checks the output like the npm consumer test, and compares it
#      object by object with the TypeScript example's committed examples/trading-gateway/dist;
#   4. runs test/python-consumer/test_api.py: every public type and member of the .jsii assembly exists
#      in Python, and each one works from Python.
#
# pip keeps its download cache (PIP_CACHE_DIR or ~/.cache/pip), so repeated runs download nothing.
# Usage: bash scripts/consumer-python.sh      KEEP_CONSUMER_APP=1 keeps the temporary folder.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
python=${PYTHON:-python3}

check() { (cd "$root" && node_modules/.bin/ts-node --transpile-only --project test/tsconfig.json scripts/consumer-check.ts "$@"); }
export CDK8S_CHECK_UPGRADE=false PIP_DISABLE_PIP_VERSION_CHECK=1

t0=$SECONDS
echo "--- build the wheel (jsii-pacmak --targets python)"
(cd "$root" && npx projen compile >/dev/null && rm -rf dist/python && npx jsii-pacmak --targets python)
version=$(node -p "require('$root/package.json').version")
wheel="$root/dist/python/cdk8s_secure_trading_api-${version}-py3-none-any.whl"
"$python" - "$wheel" <<'PY'
import os, sys, zipfile
wheel = sys.argv[1]
with zipfile.ZipFile(wheel) as z:
    infos = z.infolist()
    print(f"wheel {os.path.basename(wheel)}: {len(infos)} files, packed {os.path.getsize(wheel)} bytes, "
          f"unpacked {sum(i.file_size for i in infos)} bytes")
    for i in infos:
        print(f"  {i.file_size:>8}  {i.filename}")
    meta = next(i for i in infos if i.filename.endswith(".dist-info/METADATA"))
    for line in z.read(meta).decode().splitlines():
        if line.startswith(("Requires-Python", "Requires-Dist")):
            print(f"  {line}")
PY
t1=$SECONDS

work=$(mktemp -d -t cdk8s-consumer-python.XXXXXX)
if [ "${KEEP_CONSUMER_APP:-}" = 1 ]; then echo "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

# The PyPI versions of the peers: the same versions the TypeScript example is synthesized with.
pins=$(cd "$root" && node -p '["cdk8s", "cdk8s-plus-27", "constructs"].map((p) => p + "==" + require(p + "/package.json").version).join(" ")')
echo
echo "--- a fresh virtualenv: ${work}/venv, with the wheel and ${pins}"
"$python" -m venv "$work/venv"
venv_python="$work/venv/bin/python"
# shellcheck disable=SC2086 # $pins is a list of requirement specifiers
"$venv_python" -m pip install --quiet "$wheel" $pins
"$venv_python" -m pip list --format=freeze | grep -Ei '^(cdk8s|constructs|jsii)' | tr '\n' ' '
echo
t2=$SECONDS

echo
echo "--- the README's Python snippet, synthesized with cdk8s synth"
app="$work/trading-app"
mkdir -p "$app"
check snippet Install python > "$app/main.py"
if ! diff -u "$root/examples/trading-gateway-python/main.py" "$app/main.py"; then
  echo "the README's \`\`\`python block is not examples/trading-gateway-python/main.py" >&2
  exit 1
fi
printf 'language: python\napp: python main.py\n' > "$app/cdk8s.yaml"
(cd "$app" && PATH="$work/venv/bin:$PATH" "$root/node_modules/.bin/cdk8s" synth)
check output "$app/dist"
check compare "$root/examples/trading-gateway/dist" "$app/dist"
t3=$SECONDS

echo
echo "--- every public API shape, used from Python"
"$venv_python" "$root/test/python-consumer/test_api.py" "$root/.jsii"
t4=$SECONDS
echo "--- passed: wheel $((t1 - t0))s, virtualenv $((t2 - t1))s, synth and compare $((t3 - t2))s, API test $((t4 - t3))s"
