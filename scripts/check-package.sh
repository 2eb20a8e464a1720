#!/usr/bin/env bash
# Packaging check (CI): the tarball `npm pack` makes installs into an empty folder, and the installed
# `cnm` runs `--version` and the demo; the library entry imports without the CLI or Azurite; `cnm/testing`
# runs checkConcurrentWrites on the installed Azurite, and says what to install when Azurite is missing.
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
node --input-type=module -e "
import { createRequire } from 'node:module';
const cache = createRequire(import.meta.url).cache;
await import('cnm');
const heavy = Object.keys(cache).filter((k) => /node_modules[\\/](azurite|commander|cli-table3)[\\/]/.test(k));
if (heavy.length) throw new Error('import(\"cnm\") loaded ' + heavy[0]);
console.log('import(\"cnm\") → neither the CLI nor Azurite loaded');"
cat > check-writes.mjs <<'JS'
import { checkConcurrentWrites, startFaultProxy } from 'cnm/testing';
import { readRefreshWrite } from 'cnm';
if (typeof startFaultProxy !== 'function') throw new Error('cnm/testing does not export startFaultProxy');
const append = (blob, token) =>
  readRefreshWrite(blob, (cur) => (JSON.parse(cur).includes(token) ? null : JSON.stringify([...JSON.parse(cur), token])), { maxAttempts: 50 });
const r = await checkConcurrentWrites({ write: append, writers: 4, iterations: 3 });
if (r.lostUpdates || r.reordered || r.failedWrites) throw new Error('checkConcurrentWrites: ' + JSON.stringify(r));
console.log('import(\"cnm/testing\") → checkConcurrentWrites: ' + r.writes + ' writes, none lost, ' + r.attemptsPerWrite + ' attempts per write');
JS
node check-writes.mjs
rm -rf node_modules/azurite
if node check-writes.mjs 2> missing.err; then echo 'checkConcurrentWrites ran without Azurite installed?'; exit 1; fi
grep -q 'needs Azurite, an optional dependency of cnm, and it is not installed: npm install --save-dev azurite@3.35.0' missing.err \
  || { echo 'without Azurite, checkConcurrentWrites did not say what to install:'; cat missing.err; exit 1; }
echo 'without Azurite → checkConcurrentWrites names the package to install'
