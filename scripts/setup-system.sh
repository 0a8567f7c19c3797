#!/usr/bin/env bash
# System packages the project needs beyond Python:
#   chromium            headless browser for static figure export (kaleido 1.x) and the browser test
#   fonts-wqy-microhei  a CJK font that embeds properly in PDF figures (Noto CJK gives Type 3 fonts)
#   libmimalloc2.0      the corpus build's parse workers allocate with it (~7 % faster, ogi/allocator.py);
#                       optional: without it they use the C library's malloc, with the same results
# On Debian/Ubuntu as root they are installed here; elsewhere this prints what to install.
set -euo pipefail
PKGS=(chromium fonts-wqy-microhei)
OPTIONAL=(libmimalloc2.0)
installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
missing=()
for p in "${PKGS[@]}"; do installed "$p" || missing+=("$p"); done
optional=()
for p in "${OPTIONAL[@]}"; do installed "$p" || optional+=("$p"); done
[ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ] && exit 0
SUDO=()
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  SUDO=(env)
elif command -v apt-get >/dev/null 2>&1 && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  SUDO=(sudo env)
fi
if [ ${#SUDO[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]} ${optional[*]}"
  APT=("${SUDO[@]}" DEBIAN_FRONTEND=noninteractive apt-get)
  "${APT[@]}" update -qq >/dev/null
  if [ ${#missing[@]} -gt 0 ]; then
    "${APT[@]}" install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  for p in "${optional[@]}"; do  # one at a time: a release without the package keeps the rest
    "${APT[@]}" install -y -qq --no-install-recommends "$p" >/dev/null 2>&1 \
      || echo "note: $p is not available here; the build's workers use the C library's malloc (same results)"
  done
else
  cat <<MSG
Note: figure export and the browser test need: ${missing[*]:-nothing more}; the build is faster with: ${optional[*]:-}
  Debian/Ubuntu:  sudo apt-get install chromium fonts-wqy-microhei libmimalloc2.0
  macOS:          brew install --cask chromium && brew install --cask font-wqy-microhei (or any CJK TrueType font)
  conda:          environment.yml installs mimalloc
  elsewhere:      install Chromium or Chrome (or set BROWSER_PATH) and a CJK TrueType font
Everything else works without them.
MSG
fi
