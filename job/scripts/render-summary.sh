#!/usr/bin/env bash
# Renders a run's summary.html with headless Chromium (Debian's package `chromium`): a PNG
# screenshot for a person to look at, and the DOM after load, checked for anything a row's
# text could have smuggled in (script, img, iframe, link, object, embed elements).
#
#   job/scripts/render-summary.sh build/output/spam-sample-scores_summary/summary.html [out.png]
#
# Exit codes: 0 rendered and clean; 1 the DOM holds such an element; 2 usage or no Chromium.
set -euo pipefail
html=${1:?usage: render-summary.sh SUMMARY_HTML [OUT_PNG]}
[ -f "$html" ] || { echo "render-summary.sh: no file $html" >&2; exit 2; }
html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
png=${2:-${html%.html}.png}
size=${WINDOW_SIZE:-1200,1600}
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "render-summary.sh: Chromium not found; install it with: apt-get install -y chromium" >&2
  exit 2
fi
# No network: every host name resolves to nothing, so a page that needed one would show it.
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
  --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$(mktemp -d)")
"$browser" "${flags[@]}" --window-size="$size" --screenshot="$png" "file://$html" \
  >/dev/null 2>&1
[ -s "$png" ] || { echo "render-summary.sh: Chromium wrote no screenshot" >&2; exit 2; }
dom=$("$browser" "${flags[@]}" --dump-dom "file://$html" 2>/dev/null)
bad=$(printf '%s' "$dom" | grep -oiE '<(script|img|iframe|link|object|embed)[ >]' | sort -u || true)
if [ -n "$bad" ]; then
  echo "render-summary.sh: the rendered page holds elements it must not: $bad" >&2
  exit 1
fi
echo "rendered $html -> $png ($(stat -c %s "$png") bytes); DOM clean"
