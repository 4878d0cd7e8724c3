#!/usr/bin/env bash
# The prepared GPU runs of bench/gpu_check.py for issue 14 (docs/gpu-check.md says how to call them).
#
#     bash bench/gpu_run.sh 1 [budget seconds]   # speed (all three families), then fast for FLUX: ~8 min
#     bash bench/gpu_run.sh 2 [budget seconds]   # 16 GB mode, serving, memory modes, start-up, fast for the rest
#     bash bench/gpu_run.sh 3 [budget seconds]   # what a short second run had to skip
#
# Run in the repository root of a machine with one H100/H200-class GPU, the wheels of
# bench/fetch_wheels.sh in .whl/core (and .whl/bnb for run 2). Each run prints the table as it is
# measured and keeps it, the GPU's description and the side-by-side PNGs in $OUT (or bench/out/gpu).
# The runs share a compile cache and each family's baseline figures through /tmp, so run 2 compares
# against run 1's eager and lossless figures when it runs on the same machine; on another machine
# its memory rows have no "x vs eager" and no PSNR (the rows say so with "-").
set -uo pipefail
cd "$(dirname "$0")/.."

RUN="${1:-1}"
OUT="${OUT:-bench/out/gpu}"
mkdir -p "$OUT"
STATE=/tmp/bag-gpu-state
CACHE=/tmp/bag-compile-cache

case "$RUN" in
  1)
    BUDGET="${2:-450}"
    STAGES=speed:flux,speed:sd3,speed:hidream,fast:flux
    ;;
  2)
    BUDGET="${2:-180}"
    # The 16 GB mode first (an issue target for each family), then batching, then the rest.
    STAGES=memory:flux:small_gpu,memory:sd3:small_gpu,memory:hidream:small_gpu,serving:flux
    STAGES+=,memory:flux:bnb_4bit,memory:flux:fp8_layerwise,memory:flux:bnb_8bit,startup:flux
    ;;
  3)
    BUDGET="${2:-420}"
    STAGES=fast:sd3,fast:hidream,startup:sd3,startup:hidream
    STAGES+=,memory:sd3:fp8_layerwise,memory:sd3:bnb_4bit,memory:sd3:bnb_8bit
    STAGES+=,memory:hidream:fp8_layerwise,memory:hidream:bnb_4bit,memory:hidream:bnb_8bit
    ;;
  *)
    echo "usage: bash bench/gpu_run.sh 1|2|3 [budget seconds]" >&2
    exit 2
    ;;
esac

# The GPU image has torch, transformers, accelerate and peft; the rest travels as wheels.
if compgen -G ".whl/*/*.whl" >/dev/null; then
  python3 -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site \
    .whl/*/*.whl || exit 1
  export PYTHONPATH=/tmp/site${PYTHONPATH:+:$PYTHONPATH}
fi
export PYTHONUNBUFFERED=1 HF_HUB_OFFLINE=1
nvidia-smi >"$OUT/nvidia-smi.txt" 2>&1 || true

if [ "$RUN" = 1 ]; then
  # The CUDA-only checks (the fused MoE never waits on the host), a few seconds; their own log. The
  # project's pytest options name plugins the GPU machine lacks, hence the empty addopts.
  python3 -m pytest -o addopts="" -p no:cacheprovider -q tests/gpu 2>&1 | tee "$OUT/pytest_gpu.log"
fi

python3 bench/gpu_check.py --stages "$STAGES" --budget-s "$BUDGET" --state-dir "$STATE" --cache-dir "$CACHE" \
  --out-dir "$OUT" 2>&1 | tee "$OUT/gpu_check_run$RUN.log"
