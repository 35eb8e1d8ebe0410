#!/usr/bin/env bash
# Browser check of summary.html: runs the job (local mode, the tiny bundle) on rows whose text
# is HTML and script, renders the summary with headless Chromium (render-summary.sh), and
# checks that the page shows those rows as text. The screenshot is left in
# build/summary-check/summary.png for a person to look at. test.sh runs this when Chromium is
# installed; the JUnit test SummaryExamplesTest checks the same page's HTML without a browser.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
dir=build/summary-check
mkdir -p "$dir"
cat > "$dir/hostile.jsonl" <<'JSON'
{"id": "script", "text": "<script>alert(1)</script>"}
{"id": "bold", "text": "<b>x</b> & \"quoted\" text"}
{"id": "plain", "text": "an ordinary sentence about the weather, with commas and a full stop."}
JSON
./submit.sh --input "$dir/hostile.jsonl" --input-format json --id-column id \
  --bundle samples/models/tiny-random --output "$dir/out" --mode overwrite --eta-scale 1 \
  --progress-seconds 0 >"$dir/job.log" 2>&1 || { cat "$dir/job.log" >&2; exit 1; }
html="$dir/out_summary/summary.html"
job/scripts/render-summary.sh "$html" "$dir/summary.png"
browser=$(command -v chromium || command -v chromium-browser)
text=$("$browser" --headless --no-sandbox --disable-gpu --user-data-dir="$(mktemp -d)" \
  --dump-dom "file://$root/$html" 2>/dev/null | sed -e 's/<[^>]*>//g')
for want in '&lt;script&gt;alert(1)&lt;/script&gt;' '&lt;b&gt;x&lt;/b&gt; &amp; "quoted" text'; do
  if ! grep -qF -- "$want" <<<"$text"; then
    echo "check-summary-render.sh: the rendered page does not show $want as text" >&2
    exit 1
  fi
done
echo "summary.html renders in Chromium with the rows' markup as text: $dir/summary.png"
