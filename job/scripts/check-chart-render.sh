#!/usr/bin/env bash
# Browser check of the trade-off charts: calibrates the shipped model on 100 sample mails
# (calibration.html) and draws its test-split chart (submit.sh chart), renders both in
# headless Chromium and measures every text of each SVG with the browser's own fonts: the
# check fails when two texts overlap, a point label covers a marker, or a text leaves the
# chart. Screenshots are left in build/chart-check/ for a person to look at. test.sh runs this
# when Chromium is installed; TradeoffChartTest checks the same layout without a browser.
#
#   job/scripts/check-chart-render.sh [FILE.html|FILE.svg ...]   (no file: the two above)
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=build/chart-check
mkdir -p "$dir"
browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "check-chart-render.sh: Chromium not found (apt-get install -y chromium)" >&2; exit 2; }
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  head -100 samples/data/spam-assassin-sample.jsonl > "$dir/sample-100.jsonl"
  ./submit.sh calibrate --input "$dir/sample-100.jsonl" --input-format json \
    --label-column gold_label --bundle samples/models/spam-minilm --output "$dir/calibration" \
    --mode overwrite --progress-seconds 0 >"$dir/calibrate.log" 2>&1 || { cat "$dir/calibrate.log" >&2; exit 1; }
  ./submit.sh chart --bundle samples/models/spam-minilm --out "$dir/spam-minilm-tradeoff.svg" >/dev/null
  ./submit.sh chart --bundle samples/models/spam-minilm-512 --out "$dir/spam-minilm-512-tradeoff.svg" >/dev/null
  files=("$dir/calibration/calibration.html" "$dir/spam-minilm-tradeoff.svg" "$dir/spam-minilm-512-tradeoff.svg")
fi
# Measures in the page: every <text> of every <svg>, every marker; writes the verdict into the DOM.
measure='<script>
const bad = [];
for (const svg of document.querySelectorAll("svg")) {
  const frame = svg.getBoundingClientRect();
  const texts = [...svg.querySelectorAll("text")].map(t => ({s: t.textContent, c: t.getAttribute("class"), r: t.getBoundingClientRect()}));
  const dots = [...svg.querySelectorAll("circle")].map(c => c.getBoundingClientRect());
  const hit = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  texts.forEach((a, i) => {
    if (a.r.left < frame.left || a.r.right > frame.right || a.r.top < frame.top || a.r.bottom > frame.bottom) bad.push("outside: " + a.s);
    texts.slice(i + 1).forEach(b => { if (hit(a.r, b.r)) bad.push(a.s + " / " + b.s); });
    if (a.c === "label") dots.forEach(d => { if (hit(a.r, d)) bad.push(a.s + " on a marker"); });
  });
}
document.body.insertAdjacentHTML("beforeend", "<pre id=verdict>overlaps=" + bad.length + " " + JSON.stringify(bad) + "</pre>");
</script>'
flags=(--headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run
  --host-resolver-rules="MAP * ~NOTFOUND" --user-data-dir="$(mktemp -d)")
status=0
for f in "${files[@]}"; do
  name=$(basename "${f%.*}")
  page="$root/$dir/$name-measured.html"
  case "$f" in
    *.svg) { echo "<!DOCTYPE html><html><body style=\"margin:0\">"; cat "$f"; echo "$measure</body></html>"; } > "$page" ;;
    *) sed "s|</body>|$(printf '%s' "$measure" | tr '\n' ' ' | sed 's/[&|]/\\&/g')</body>|" "$f" > "$page" ;;
  esac
  "$browser" "${flags[@]}" --window-size=1100,900 --screenshot="$root/$dir/$name.png" "file://$root/$f" >/dev/null 2>&1
  verdict=$("$browser" "${flags[@]}" --dump-dom "file://$page" 2>/dev/null | grep -o 'overlaps=[0-9]* .*</pre>' | sed 's|</pre>||' || true)
  case "$verdict" in
    "overlaps=0 "*) echo "$f: every text apart in Chromium ($dir/$name.png)" ;;
    "") echo "check-chart-render.sh: $f: Chromium gave no verdict" >&2; status=1 ;;
    *) echo "check-chart-render.sh: $f: $verdict" >&2; status=1 ;;
  esac
done
exit $status
