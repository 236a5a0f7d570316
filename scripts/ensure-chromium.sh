#!/usr/bin/env bash
# A Chromium for the Playwright tests: CREDIT_APP_CHROMIUM if set, else Playwright's own
# download where it works, else the system's chromium (installed from Debian if absent).
set -euo pipefail
playwright="${1:-.venv/bin/playwright}"

if [ -n "${CREDIT_APP_CHROMIUM:-}" ]; then
  echo "Chromium: ${CREDIT_APP_CHROMIUM} (CREDIT_APP_CHROMIUM)"; exit 0
fi
if command -v chromium >/dev/null; then
  echo "Chromium: $(command -v chromium)"; exit 0
fi
if timeout 300 "${playwright}" install chromium >/dev/null 2>&1; then
  echo "Chromium: Playwright's own"; exit 0
fi
echo "Playwright's browser download is not available here; installing the system's chromium..."
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_root apt-get update -qq
as_root apt-get install -y -qq chromium >/dev/null
echo "Chromium: $(command -v chromium)"
