#!/usr/bin/env bash
# Packaging check (CI): the tarball `npm pack` makes installs into an empty folder, and the installed
# `cnm` runs `--version` and the demo; the library entry imports.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
tgz=$(npm pack --silent --pack-destination "$work" | tail -n 1)
echo "packed $tgz ($(du -h "$work/$tgz" | cut -f1))"
mkdir "$work/app" && cd "$work/app"
npm init -y >/dev/null
npm install --no-audit --no-fund --prefer-offline "$work/$tgz" >/dev/null
version=$(npx --no-install cnm --version)
expected=$(node -p "require('$root/package.json').version")
[ "$version" = "$expected" ] || { echo "cnm --version printed '$version', expected '$expected'"; exit 1; }
echo "npx cnm --version → $version"
npx --no-install cnm demo --no-color > demo.out
grep -q 'cause: stale-etag' demo.out || { echo 'the installed cnm demo did not explain the stale ETag'; cat demo.out; exit 1; }
echo "installed cnm demo → ok ($(wc -l < demo.out) lines)"
node --input-type=module -e "import('cnm').then((m) => { for (const k of ['evaluateConditions', 'readRefreshWrite', 'captureFailedRequests', 'explainCapture']) if (typeof m[k] !== 'function') throw new Error('cnm does not export ' + k); console.log('import(\"cnm\") → ' + Object.keys(m).length + ' exports'); })"
