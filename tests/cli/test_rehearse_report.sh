#!/bin/sh
# test_rehearse_report.sh BINARY SCRATCH: the rehearsal's HTML report in headless Chromium (as the lab's page is
# checked): a copy with a measuring script appended (the report itself has none) is loaded, and the DOM Chromium
# dumps must show, for the demo's classes of equal size, distinct dash patterns and end labels that do not overlap,
# and the advice section naming the next step for each stranded class. Skipped (77) without chromium.
bin=$(realpath "$1")
S=$2
command -v chromium >/dev/null || { echo "skipping: no chromium"; exit 77; }
rm -rf "$S" && mkdir -p "$S" || exit 2
fails=0
check() { if "$@"; then echo "ok   $*"; else echo "FAIL $*"; fails=$((fails + 1)); fi; }
"$bin" rehearse --demo --report "$S/report.html" >"$S/out.txt" 2>"$S/err.txt"
check test $? -eq 0
check grep -q 'next: remove the pin on lab:pinned-intermediate' "$S/out.txt"
check grep -q 'next: add DigiCert Global Root G2 (SHA-1 df3c...) to lab:old-only' "$S/out.txt"
check grep -q '<h2>what this means, and what to do next</h2>' "$S/report.html"
# the demo runs at 2026-01-02, after the real Baltimore expired: nothing to add for the old chain (issue #19)
check grep -q "next: nothing to add for the old chain: Baltimore CyberTrust Root expired on 2025-05-12" "$S/report.html"
check sh -c "! grep -Eiq '<script' '$S/report.html'"
sed 's|</body></html>||' "$S/report.html" >"$S/measure.html"
cat >>"$S/measure.html" <<'HTML'
<script>
const lines = [...document.querySelectorAll('polyline')].map(p => p.getAttribute('stroke-dasharray'));
const boxes = [...document.querySelectorAll('text.end')].map(t => t.getBBox());
let overlap = 0;
for (let i = 0; i < boxes.length; i++)
  for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) overlap++;
  }
const pre = document.createElement('pre');
pre.id = 'measure';
pre.textContent = `lines=${lines.length} dashes=${new Set(lines).size} labels=${boxes.length} overlaps=${overlap} ` +
  `advice=${document.querySelectorAll('ul.advice li').length}`;
document.body.appendChild(pre);
</script></body></html>
HTML
HOME=$S timeout 60 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$S/profile" --dump-dom \
  "file://$S/measure.html" >"$S/dom.html" 2>"$S/chromium.err"
m=$(sed -n 's/.*<pre id="measure">\([^<]*\)<.*/\1/p' "$S/dom.html")
echo "chromium: $m"
check test "$m" = "lines=8 dashes=8 labels=8 overlaps=0 advice=5"
exit $((fails > 0))
