#!/usr/bin/env bash
# Installs what the portal serves itself under /assets/ (no CDN): the KRDS style sheet
# (krds-uiux) and the Pretendard GOV font (pretendard-gov), as locked in package-lock.json
# beside this script. Usage: install.sh WORK_DIR OUT_DIR. npm ci runs in WORK_DIR; OUT_DIR
# gets krds.min.css, pretendard-gov.css and woff2-subset/*.woff2, and a stamp file last.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$1"
out="$2"
mkdir -p "$work" "$out/woff2-subset"
cp "$here/package.json" "$here/package-lock.json" "$work/"
npm ci --prefix "$work" --ignore-scripts --no-audit --no-fund --loglevel=error
modules="$work/node_modules"
cp "$modules/krds-uiux/resources/cdn/krds.min.css" "$out/krds.min.css"
cp "$modules/pretendard-gov/dist/web/static/pretendard-gov-subset.css" "$out/pretendard-gov.css"
cp "$modules/pretendard-gov/dist/web/static/woff2-subset/"*.woff2 "$out/woff2-subset/"
cp "$modules/pretendard-gov/dist/LICENSE.txt" "$out/pretendard-gov-LICENSE.txt"
touch "$out/.installed"
