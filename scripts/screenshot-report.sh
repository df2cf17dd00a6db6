#!/usr/bin/env bash
# Renders a report page to a PNG with headless Chromium (Debian's `chromium` package, installed if
# missing and this runs as root), for docs/report.png and the README. Not part of CI.
#   scripts/screenshot-report.sh [REPORT.html] [OUT.png]     (defaults: data/report.html, docs/report.png)
# Settings (environment): WIDTH (1280), HEIGHT (8192: the whole page; Chromium crops at this height and
# draws no more than 8192 px).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPORT="$(realpath "${1:-$ROOT/data/report.html}")"
OUT="$(realpath -m "${2:-$ROOT/docs/report.png}")"
WIDTH="${WIDTH:-1280}"
HEIGHT="${HEIGHT:-8192}"
[[ -f "$REPORT" ]] || { echo "screenshot-report: no report at $REPORT (scripts/run-local.sh writes data/report.html)" >&2; exit 1; }
CHROMIUM="$(command -v chromium || command -v chromium-browser || true)"
if [[ -z "$CHROMIUM" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    CHROMIUM="$(command -v chromium)"
  else
    echo "screenshot-report: install Debian's chromium package (sudo apt-get install chromium)" >&2
    exit 1
  fi
fi
mkdir -p "$(dirname "$OUT")"
"$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
  --window-size="$WIDTH,$HEIGHT" --screenshot="$OUT" "file://$REPORT" 2>/dev/null
echo "screenshot: $OUT (${WIDTH}x${HEIGHT} from $REPORT)"
