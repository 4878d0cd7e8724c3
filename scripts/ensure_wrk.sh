#!/usr/bin/env bash
# The serving benchmarks load the product with wrk, from Debian's packages.
set -euo pipefail
command -v wrk >/dev/null || "$(dirname "$0")/apt_install.sh" wrk
