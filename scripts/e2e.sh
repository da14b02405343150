#!/usr/bin/env bash
# Browser tests: builds the app once, then Playwright starts the backend (which serves
# that build) on a port of its own, so a running `./portal start` is left alone; then the
# two-replica journey, which starts the production artifact twice behind a proxy.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${PLAYWRIGHT_URL:-}" ]; then
  yarn workspace app build
fi
yarn test:e2e "$@"
# Then the two-replica journey on the production artifact (playwright.replicas.config.ts):
# not against a running portal, and not when only some tests were asked for.
if [ -z "${PLAYWRIGHT_URL:-}" ] && [ $# -eq 0 ]; then
  yarn test:e2e:replicas
fi
