#!/usr/bin/env bash
# Browser tests: builds the app once, then Playwright starts the backend (which serves
# that build) on a port of its own, so a running `./portal start` is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PLAYWRIGHT_URL:-}" ]; then
  yarn workspace app build
fi
exec yarn test:e2e "$@"
