#!/bin/sh
# Install what the tests need: the project with its test packages, and Debian's Chromium for the browser
# tests (never `playwright install`: it downloads a browser build of its own). Safe to run again.
set -eu
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 DEBIAN_FRONTEND=noninteractive
python3 -m pip install -q '.[test]'
if [ ! -x /usr/bin/chromium ]; then
    if [ "$(id -u)" = 0 ]; then
        SUDO=
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=sudo
    else
        echo "install Debian's Chromium as root first: apt-get update && apt-get install -y chromium" >&2
        exit 1
    fi
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq chromium >/dev/null
fi
