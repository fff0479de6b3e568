#!/usr/bin/env bash
# Idempotent setup: Debian packages, the Python virtualenv, npm packages, the solc-js shim,
# kubo and geth. Needs only python3.11, node/npm and go on the machine. Each step is skipped when
# what it makes is already there and up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TOOLS=$ROOT/.tools/bin
mkdir -p "$TOOLS" .tools/stamps

step() { printf '\n== setup: %s\n' "$*"; }
stamp_ok() { [ -f ".tools/stamps/$1" ] && [ "$(cat ".tools/stamps/$1")" = "$2" ]; }
stamp_set() { printf '%s' "$2" > ".tools/stamps/$1"; }

# Debian packages: chromium (browser tests), bubblewrap and libseccomp2 (the sandbox).
missing=()
command -v bwrap >/dev/null || missing+=(bubblewrap)
ldconfig -p 2>/dev/null | grep -q 'libseccomp\.so\.2' || missing+=(libseccomp2)
command -v chromium >/dev/null || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  step "apt-get install ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# Python virtualenv with the package, its dev extras and brownie (the `contracts` extra:
# its pins coexist with the runtime's ranges; docs/decisions.md, "eth-brownie").
py_key=$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -x .venv/bin/python ] || ! stamp_ok venv "$py_key"; then
  step "python virtualenv (.venv)"
  [ -x .venv/bin/python ] || python3.11 -m venv .venv
  .venv/bin/pip install -q --upgrade pip
  .venv/bin/pip install -q -e '.[dev,contracts]'
  stamp_set venv "$py_key"
fi

# `brownie run` imports a script by its absolute path's parts, which fails under a directory
# whose name has a dot (oracle/chain/dotted_dirs.py): brownie processes load a finder for that.
site_packages=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
printf '%s\n' "import os, sys; os.path.basename(sys.argv[0] if sys.argv else '') == 'brownie' and __import__('oracle.chain.dotted_dirs', fromlist=['install']).install()" \
  > "$site_packages/coop_brownie_dotted_dirs.pth"

# npm packages: solc-js, anvil/forge/cast, OpenZeppelin; viem, @noble/hashes, esbuild, Biome.
npm_key=$(sha256sum package-lock.json | cut -c1-16)
if [ ! -d node_modules ] || ! stamp_ok npm "$npm_key"; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  stamp_set npm "$npm_key"
fi

# The web app's libraries, bundled by esbuild into the ES modules the page imports (build
# outputs, git-ignored; docs/web.md): viem and @noble/hashes into oracle/web/js/lib/ethereum.js,
# jsdiff into oracle/web/js/lib/textdiff.js.
web_key=$(cat package-lock.json tools/web/*.js | sha256sum | cut -c1-16)
if [ ! -f oracle/web/js/lib/ethereum.js ] || [ ! -f oracle/web/js/lib/textdiff.js ] || ! stamp_ok web "$web_key"; then
  step "bundle the web app's libraries (esbuild)"
  for entry in ethereum textdiff; do
    node_modules/.bin/esbuild "tools/web/$entry.js" --bundle --format=esm --target=es2022 --minify \
      --sourcemap --outfile="oracle/web/js/lib/$entry.js" --log-level=warning
  done
  stamp_set web "$web_key"
fi

# The solc-compatible shim, named as py-solc-x expects it (solc-v<version>).
solc_version=$(node -p "require('./node_modules/solc/package.json').version")
shim="$TOOLS/solc-v$solc_version"
printf '#!/bin/sh\nexec node "%s/tools/solc-shim.js" "$@"\n' "$ROOT" > "$shim"
chmod +x "$shim"
ln -sf "solc-v$solc_version" "$TOOLS/solc"

# Compiled contracts (brownie's build JSON is what the Python side reads ABIs from).
contracts_key=$(cat brownie-config.yaml $(find contracts -name '*.sol' | sort) | sha256sum | cut -c1-16)
if ! stamp_ok contracts "$contracts_key" || [ ! -f build/brownie/contracts/RewardVault.json ]; then
  step "compile contracts (brownie, solc-js)"
  mkdir -p build/brownie
  PATH="$TOOLS:$ROOT/node_modules/.bin:$PATH" SOLCX_BINARY_PATH="$TOOLS" .venv/bin/brownie compile >/dev/null
  stamp_set contracts "$contracts_key"
fi

# kubo, pinned in tools/kubo/go.mod, built with `go install`.
kubo_key=$(sha256sum tools/kubo/go.mod tools/kubo/go.sum | sha256sum | cut -c1-16)
if [ ! -x "$TOOLS/ipfs" ] || ! stamp_ok kubo "$kubo_key"; then
  step "kubo (go install, a few minutes the first time)"
  (cd tools/kubo && GOFLAGS=-mod=mod GOBIN="$TOOLS" go install github.com/ipfs/kubo/cmd/ipfs)
  stamp_set kubo "$kubo_key"
fi

# geth (go-ethereum), pinned here, for the devnet and chain tests on a second client. Its Go
# paths stay inside .tools (nothing in $HOME); -modcacherw lets `rm -rf .tools` remove them.
GETH_VERSION=v1.17.10
if [ ! -x "$TOOLS/geth" ] || ! stamp_ok geth "$GETH_VERSION"; then
  step "geth $GETH_VERSION (go install, a few minutes the first time)"
  GOPATH="$ROOT/.tools/go" GOCACHE="$ROOT/.tools/go-cache" GOFLAGS="-modcacherw -buildvcs=false" \
    GOBIN="$TOOLS" go install "github.com/ethereum/go-ethereum/cmd/geth@$GETH_VERSION"
  stamp_set geth "$GETH_VERSION"
fi

step "ready: $("$TOOLS/ipfs" version), $("$TOOLS/geth" version | grep -m1 '^Version'), solc $solc_version (solc-js), $(node_modules/.bin/anvil --version | head -1)"
# coop lives in the virtualenv: say how to reach it (make cannot change the caller's PATH).
printf 'To use coop (and brownie, anvil, cast) in this shell:\n  export PATH=%q:%q:"$PATH"\n' \
  "$ROOT/.venv/bin" "$ROOT/node_modules/.bin"
