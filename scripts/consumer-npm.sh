#!/usr/bin/env bash
# The npm consumer test: the library tried as a new user would, from its packed tarball.
#
#   1. builds and packs the library (jsii, then `npm pack` of the jsii output through jsii-pacmak),
#      and checks the tarball: only code, types, .jsii, README, LICENSE, API.md; the metadata;
#   2. creates a new cdk8s TypeScript app in a temporary folder outside the repository, installs the
#      tarball (copied into the app: no path into the repository) and its peer dependencies from the
#      registry, and the tools a cdk8s app uses (cdk8s-cli, ts-node, typescript, @types/node);
#   3. writes main.ts = the README's "## Usage" snippet, runs the real `cdk8s synth`, and checks the
#      output: every object the README's table promises, the audit policy in its own file, and the
#      same objects as examples/trading-gateway/dist.
#
# Usage: bash scripts/consumer-npm.sh [lowest|newest|both]   (default: both)
#   lowest: the lower bounds of the peer ranges (cdk8s 2.68.12, constructs 10.3.0, cdk8s-plus-27 2.9.5)
#   newest: the newest versions the registry has (npm view <peer> version)
# KEEP_CONSUMER_APP=1 keeps the temporary app for inspection.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mode=${1:-both}
case "$mode" in lowest) sets=(lowest) ;; newest) sets=(newest) ;; both) sets=(lowest newest) ;;
  *) echo "usage: $0 [lowest|newest|both]" >&2; exit 2 ;; esac

check() { (cd "$root" && node_modules/.bin/ts-node --transpile-only --project test/tsconfig.json scripts/consumer-check.ts "$@"); }
# The CLI's upgrade check fetches from the network on every run and only prints a notice.
export CDK8S_CHECK_UPGRADE=false
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

t0=$SECONDS
echo "--- build and pack"
(cd "$root" && npx projen compile && rm -rf dist/js && npx projen package:js) >/dev/null
version=$(node -p "require('$root/package.json').version")
tarball="$root/dist/js/cdk8s-secure-trading-api@${version}.jsii.tgz"
check tarball "$tarball"
timings="build and pack $((SECONDS - t0))s"

# The peers' lower bounds, read from the packed package.json: the ranges users get, not a copy of them.
# shellcheck disable=SC2016 # the template literal is JavaScript's
peers=$(tar -xzOf "$tarball" package/package.json | node -e '
  const pkg = JSON.parse(require("fs").readFileSync(0, "utf8"));
  console.log(Object.entries(pkg.peerDependencies).map(([n, r]) => `${n} ${r.replace(/^\^/, "")}`).join("\n"));')

work=$(mktemp -d -t cdk8s-consumer-npm.XXXXXX)
if [ "${KEEP_CONSUMER_APP:-}" = 1 ]; then echo "keeping $work"; else trap 'rm -rf "$work"' EXIT; fi

for set in "${sets[@]}"; do
  start=$SECONDS
  app="$work/$set/trading-app"
  echo
  echo "--- a new cdk8s app with the ${set} peer versions: ${app}"
  mkdir -p "$app"
  cp "$tarball" "$app/cdk8s-secure-trading-api-${version}.tgz"
  specs=()
  while read -r name lowest; do
    if [ "$set" = lowest ]; then v=$lowest; else v=$(npm view "$name" version); fi
    specs+=("${name}@${v}")
  done <<< "$peers"

  # What `cdk8s init typescript-app` lays down (it fetches its imports from GitHub, so it is written
  # here): a cdk8s.yaml, the template's tsconfig.json, and main.ts.
  (
    cd "$app"
    npm init -y >/dev/null
    printf 'language: typescript\napp: npx ts-node main.ts\n' > cdk8s.yaml
    cat > tsconfig.json <<'JSON'
{
  "compilerOptions": {
    "alwaysStrict": true,
    "declaration": true,
    "experimentalDecorators": true,
    "inlineSourceMap": true,
    "inlineSources": true,
    "lib": ["es2016"],
    "module": "CommonJS",
    "noEmitOnError": true,
    "noFallthroughCasesInSwitch": true,
    "noImplicitAny": true,
    "noImplicitReturns": true,
    "noImplicitThis": true,
    "noUnusedLocals": true,
    "noUnusedParameters": true,
    "resolveJsonModule": true,
    "strict": true,
    "strictNullChecks": true,
    "strictPropertyInitialization": true,
    "stripInternal": true,
    "target": "ES2017"
  },
  "include": ["**/*.ts"],
  "exclude": ["node_modules"]
}
JSON
    check snippet Usage ts > main.ts
    # --strict-peer-deps: a peer range that excludes these versions fails the install. --save-exact:
    # without it the next install may move the peers to the newest version their caret range allows.
    npm install --save-exact --strict-peer-deps --loglevel=error \
      "./cdk8s-secure-trading-api-${version}.tgz" "${specs[@]}"
    npm install --save-dev --strict-peer-deps --loglevel=error cdk8s-cli ts-node 'typescript@~5.9' @types/node
  )

  # The library must come from the tarball, extracted into the app, not linked to the repository.
  lib="$app/node_modules/cdk8s-secure-trading-api"
  if [ -L "$lib" ] || [ ! -f "$lib/.jsii" ] || [[ "$(cd "$lib" && pwd -P)" == "$root"* ]]; then
    echo "the library in the app is not an extracted copy of the tarball: $lib" >&2
    exit 1
  fi
  installed=$(cd "$app" && node -p '["cdk8s-secure-trading-api", "cdk8s", "constructs", "cdk8s-plus-27", "cdk8s-cli", "typescript"]
    .map((p) => p + "@" + require(p + "/package.json").version).join(" ")')
  echo "installed: ${installed}"
  for spec in "${specs[@]}"; do
    [[ " ${installed} " == *" ${spec} "* ]] || { echo "the app resolved a different version than ${spec}" >&2; exit 1; }
  done

  (cd "$app" && npx cdk8s synth)
  check output "$app/dist"
  check compare "$root/examples/trading-gateway/dist" "$app/dist"
  echo "--- ${set}: passed in $((SECONDS - start))s (${installed})"
  timings+=", ${set} peers $((SECONDS - start))s"
done
echo "--- passed: ${timings}"
