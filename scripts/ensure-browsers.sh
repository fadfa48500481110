#!/usr/bin/env bash
# Makes sure the system tools the end-to-end tests use are installed: Debian's
# Chromium (the extension runs in it), Firefox ESR (the Firefox build), and
# openssl (the simulator's certificate). Installs them from Debian's packages
# when run as root; otherwise says exactly what to install. Never downloads a
# browser from anywhere else.
set -euo pipefail

missing=()
[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ] || missing+=(chromium)
command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing from Debian's packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  exit 0
fi

echo "The tests need these packages, which are not installed: ${missing[*]}" >&2
echo "Install them with:  sudo apt-get install ${missing[*]}" >&2
echo "(or point CHROMIUM_PATH at an existing Chromium binary)" >&2
exit 1
