#!/usr/bin/env bash
# Renders an HTML file (e.g. the report of `sockfi explore --html=FILE`) to a PNG
# with headless Chromium, to look at a report without a browser.
#
#   tools/html_screenshot.sh REPORT.html OUT.png [WIDTH [HEIGHT]]
#
# The screenshot is one window of WIDTH x HEIGHT pixels (default 1400 x 2000)
# from the top of the page; pass a larger HEIGHT for a long report. Needs the
# Debian package `chromium` (not installed by tools/setup.sh: the build and tests
# do not need it): sudo apt-get install chromium
set -euo pipefail

if [[ $# -lt 2 || $# -gt 4 ]]; then
  echo "usage: $0 REPORT.html OUT.png [WIDTH [HEIGHT]]" >&2
  exit 2
fi
html=$1
out=$2
width=${3:-1400}
height=${4:-2000}

if [[ ! -f "$html" ]]; then
  echo "$0: no such file: $html" >&2
  exit 2
fi
if ! [[ "$width" =~ ^[0-9]+$ && "$height" =~ ^[0-9]+$ ]]; then
  echo "$0: WIDTH and HEIGHT must be numbers of pixels" >&2
  exit 2
fi

browser=""
for candidate in chromium chromium-browser google-chrome; do
  if command -v "$candidate" >/dev/null 2>&1; then
    browser=$candidate
    break
  fi
done
if [[ -z "$browser" ]]; then
  echo "$0: headless Chromium is needed and was not found (no chromium," \
    "chromium-browser or google-chrome on PATH)." >&2
  echo "Install it with: sudo apt-get install chromium" >&2
  exit 1
fi

html_abs=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
mkdir -p "$(dirname "$out")"
out_abs=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
profile=$(mktemp -d)
log=$(mktemp)
trap 'rm -rf "$profile" "$log"' EXIT
rm -f "$out_abs"

# A fresh profile, no network beyond the file, no GPU (none in containers); no
# sandbox, which needs user namespaces that containers and root lack.
if ! "$browser" --headless --disable-gpu --no-sandbox --no-first-run \
    --no-default-browser-check --disable-extensions --hide-scrollbars \
    --user-data-dir="$profile" --force-device-scale-factor=1 \
    --window-size="$width,$height" --screenshot="$out_abs" \
    "file://$html_abs" >"$log" 2>&1; then
  echo "$0: $browser failed:" >&2
  cat "$log" >&2
  exit 1
fi
if [[ ! -s "$out_abs" ]]; then
  echo "$0: $browser wrote no screenshot to $out_abs:" >&2
  cat "$log" >&2
  exit 1
fi
echo "$out_abs (${width}x${height}) from $html_abs"
