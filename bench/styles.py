"""Style switch cost: switching between two loaded brand styles against one demo-model job.

    .venv/bin/python bench/styles.py [--switches 200]

Builds the demo model and two LoRA styles in a temporary directory, loads them into the runner's
core, then times in one run: a default demo job (1024x1024 x 4 images) and a switch between the
two styles (the median of many). Target: a switch below 2 % of the job.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--switches", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=3)
    args = parser.parse_args()

    from models.demo import ensure_demo_model
    from runner.schemas import RenderRequest
    from runner.worker import RunnerCore
    from settings import Settings
    from tests.lora_factory import make_style

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        demo = ensure_demo_model(data)
        make_style(data / "styles", "acme", demo.path, seed=1)
        make_style(data / "styles", "globex", demo.path, seed=2)
        core = RunnerCore(Settings(_env_file=None, data_dir=data))
        job = RenderRequest(job_id="j", prompt="benchmark", seed=1, num_images=4, model=demo.name,
                            width=demo.width, height=demo.height, steps=demo.steps, guidance=demo.guidance,
                            style="acme", style_weight=1.0)
        core.render([job])  # warm up
        job_times, base_times = [], []
        for i in range(args.jobs):  # alternating, so drift in the machine's speed hits both alike
            for style, times in (("acme", job_times), (None, base_times)):
                started = time.perf_counter()
                core.render([job.model_copy(update={"job_id": f"j{i}-{style}", "style": style})])
                times.append(time.perf_counter() - started)
        switch_times = []
        for i in range(args.switches):
            name = "globex" if i % 2 == 0 else "acme"
            started = time.perf_counter()
            core.models["demo-flux"].adapters.activate(name, 1.0)
            switch_times.append(time.perf_counter() - started)
        job_s, switch_s = statistics.median(job_times), statistics.median(switch_times)
        base_s = statistics.median(base_times)
        print(f"demo job 1024x1024x4, base model : {base_s * 1000:.0f} ms (median of {args.jobs})")
        print(f"demo job 1024x1024x4 with a style: {job_s * 1000:.0f} ms ({job_s / base_s:.2f}x the base)")
        print(f"style switch acme <-> globex     : {switch_s * 1000:.2f} ms (median of {args.switches})")
        print(f"switch / job                      : {switch_s / job_s:.3%}  (target < 2%)")


if __name__ == "__main__":
    main()
