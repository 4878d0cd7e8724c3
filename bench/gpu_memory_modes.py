"""Every memory mode through the runner's core on a GPU: does it load, take a brand style, render?

    python bench/gpu_memory_modes.py

Uses the tiny FLUX demo model (built on the spot) with one LoRA style, so it checks the code paths of
each mode on CUDA (bitsandbytes included, where installed), not the memory a real model needs: for
that see bench/gpu_check.py. Prints one row per mode as soon as it is done.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import base64  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402


def main() -> None:
    from typing import get_args

    from models.placement import MemoryMode

    modes = list(get_args(MemoryMode))  # every mode the runner offers, the 16 GB one included
    from models.demo import ensure_demo_model
    from runner.schemas import RenderRequest
    from runner.worker import RunnerCore
    from settings import Settings
    from tests.lora_factory import make_style

    device = "cuda" if torch.cuda.is_available() else "cpu"
    print(f"# device {torch.cuda.get_device_name(0) if device == 'cuda' else 'cpu'}, torch {torch.__version__}",
          flush=True)
    print("| mode | result | seconds | peak GiB | styled differs from base |\n| --- | --- | --- | --- | --- |", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        demo = ensure_demo_model(data)
        make_style(data / "styles", "acme", demo.path, seed=1)
        for mode in modes:
            try:
                if device == "cuda":
                    torch.cuda.empty_cache()
                    torch.cuda.reset_peak_memory_stats()
                core = RunnerCore(Settings(_env_file=None, data_dir=data, memory_mode=mode))
                job = RenderRequest(job_id="j", prompt="a mug", seed=3, num_images=2, model=demo.name, width=1024,
                                    height=1024, steps=demo.steps, guidance=demo.guidance, style="acme")
                started = time.perf_counter()
                styled = core.render([job])[0]
                seconds = time.perf_counter() - started
                base = core.render([job.model_copy(update={"job_id": "b", "style": None})])[0]
                if styled.error or base.error:
                    raise RuntimeError(styled.error or base.error)
                a, b = (np.frombuffer(base64.b64decode(r.images[0]), np.uint8) for r in (styled, base))
                peak = torch.cuda.max_memory_allocated() / 1024**3 if device == "cuda" else float("nan")
                print(f"| {mode} | ok | {seconds:.2f} | {peak:.2f} | {bool((a != b).any())} |", flush=True)
                del core
            except Exception as exc:  # report and go on to the next mode
                first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
                print(f"| {mode} | {type(exc).__name__}: {first} | - | - | - |", flush=True)
                traceback.print_exc(limit=3, file=sys.stderr)
    print("# done", flush=True)


if __name__ == "__main__":
    main()
