#!/usr/bin/env bash
# System packages the project needs beyond Python:
#   chromium            headless browser for static figure export (kaleido 1.x) and the browser test
#   fonts-wqy-microhei  a CJK font that embeds properly in PDF figures (Noto CJK gives Type 3 fonts)
# On Debian/Ubuntu as root they are installed here; elsewhere this prints what to install.
set -euo pipefail
PKGS=(chromium fonts-wqy-microhei)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq && sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  cat <<MSG
Note: figure export and the browser test need: ${missing[*]}
  Debian/Ubuntu:  sudo apt-get install chromium fonts-wqy-microhei
  macOS:          brew install --cask chromium && brew install --cask font-wqy-microhei (or any CJK TrueType font)
  elsewhere:      install Chromium or Chrome (or set BROWSER_PATH) and a CJK TrueType font
Everything else works without them.
MSG
fi
