#!/bin/sh
# Debian's Chromium for the PWA's browser tests and Lighthouse (Playwright's own browser download is not used).
# Installs it only when /usr/bin/chromium is missing.
set -eu
if [ -x /usr/bin/chromium ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends chromium
/usr/bin/chromium --version
