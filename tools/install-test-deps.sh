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
# The W3C's Nu HTML checker for tests/test_validity.py, where Java and npm are here (the test says why it
# is skipped otherwise). A pinned version, into node_modules/ (ignored by git).
if command -v java >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
    npm install --no-save --no-audit --no-fund --silent vnu-jar@26.9.27 >/dev/null 2>&1 \
        || echo "note: vnu-jar could not be installed; the HTML validity test will be skipped" >&2
fi
