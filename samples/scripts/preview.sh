#!/usr/bin/env bash
# Rough Chromium preview of a sample page (see preview.js for what it models).
# Usage: samples/scripts/preview.sh APP_DIR [ROUTE] [WAIT_MS] [OUT.png] [HEIGHT]
#   samples/scripts/preview.sh samples/product-grid pages/index/index 600 /tmp/grid.png
set -euo pipefail
app="$1"
route="${2:-pages/index/index}"
wait_ms="${3:-0}"
out="${4:-/tmp/cirrus-preview.png}"
height="${5:-1600}"
here="$(cd "$(dirname "$0")" && pwd)"
html="$(mktemp --suffix=.html)"
node "$here/preview.js" "$app" "$route" "$wait_ms" "$html"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --window-size="375,$height" --screenshot="$out" "file://$html" 2>/dev/null
rm -f "$html"
echo "$out"
