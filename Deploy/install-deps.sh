#!/usr/bin/env bash
# Installs the Debian packages plantgate builds, tests and demos with. Idempotent; needs root.
set -euo pipefail

packages=(
  pkg-config libmodbus-dev libmosquitto-dev libsqlite3-dev   # build
  mosquitto mosquitto-clients socat openssl mbpoll            # tests and demo: broker, pty pairs, outside clients
  systemd dpkg-dev python3 python3-protobuf protobuf-compiler procps   # unit checks, .deb, Sparkplug decoder, ps
  tmux                                                        # CLI tests: status and watch on an 80x24 terminal
  python3-nacl                                                  # the independent ledger verifier (docs/verify-ledger.py)
  chromium python3-jsonschema                                   # report tests: render the page headless, check the PACT footprint schema
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The broker is started by the tests and the demo on loopback ports of their own; a packaged
# instance on 1883 would only be in the way of the demo.
if pgrep -x mosquitto >/dev/null && [ -x /etc/init.d/mosquitto ]; then
  /etc/init.d/mosquitto stop >/dev/null 2>&1 || true
fi

if ! command -v swift >/dev/null; then
  if [ -x /opt/swift/usr/bin/swift ]; then
    echo "note: swift is at /opt/swift/usr/bin; add it to PATH"
  else
    echo "error: no Swift toolchain found: install Swift 6.2 or newer (https://www.swift.org/install/linux/) and put it on PATH" >&2
    exit 1
  fi
fi
