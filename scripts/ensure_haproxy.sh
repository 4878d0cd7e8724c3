#!/usr/bin/env bash
# The scale-out test and benchmark put haproxy (Debian's package) in front of several runners or API replicas.
set -euo pipefail
command -v haproxy >/dev/null || "$(dirname "$0")/apt_install.sh" haproxy
