#!/usr/bin/env bash
# The wheels bench/gpu_run.sh installs on a GPU machine that has torch, transformers, accelerate and
# peft but not the rest of what the check imports: downloaded from PyPI into .whl/ (git ignores it),
# for Linux x86_64 and CPython 3.12 (the GPU machine's Python), whatever this machine is. Two
# folders, because a device call carries at most 64 MiB with the working tree: .whl/core (every
# run) and .whl/bnb (bitsandbytes, 43 MB, only for the run with the bnb memory modes).
#
#     bash bench/fetch_wheels.sh        # or: make gpu-wheels
#
# No dependencies are resolved (--no-deps): the list below is the whole set, each pinned, checked
# against what the GPU image already holds (see docs/gpu-check.md).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON_VERSION="${PYTHON_VERSION:-3.12}"
CORE=(
  diffusers==0.42.1          # the pipelines (not in the GPU image)
  pydantic==2.14.4           # loras/manifest.py (the styles' manifests) and settings.py
  pydantic-core==2.50.5      # pydantic's compiled half: the version pydantic 2.14.4 pins
  annotated-types==0.8.0     # needed by pydantic
  typing-inspection==0.4.5   # needed by pydantic
  typing-extensions==4.16.0  # pydantic 2.14 needs a newer one than some GPU images hold
  pydantic-settings==2.16.3  # settings.py
  python-dotenv==1.2.4       # needed by pydantic-settings
  pytest==9.2.0              # the CUDA-only checks in tests/gpu, run by bench/gpu_run.sh 1
  pluggy==1.7.0              # needed by pytest
  iniconfig==2.3.1           # needed by pytest
  packaging==26.4            # needed by pytest
  pygments==2.21.0           # needed by pytest
)
BNB=(
  bitsandbytes==0.50.2       # the bnb_4bit / bnb_8bit memory modes (its CUDA kernels are inside the wheel)
)

fetch() {
  local folder=$1
  shift
  # One version of each package: an older download beside a newer one would stop the install there.
  rm -rf "$folder"
  mkdir -p "$folder"
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version "$PYTHON_VERSION" \
    --implementation cp --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 \
    --platform manylinux_2_24_x86_64 --platform manylinux_2_17_x86_64 --platform manylinux2014_x86_64 \
    --platform manylinux1_x86_64 -d "$folder" "$@"
}
fetch .whl/core "${CORE[@]}"
fetch .whl/bnb "${BNB[@]}"
rm -f .whl/*.whl  # wheels of an earlier layout, straight in .whl/
du -sh .whl/core .whl/bnb
