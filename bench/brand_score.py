"""Brand score cost per image against the demo model's render time per image, in one run.

    .venv/bin/python bench/brand_score.py [--jobs 3] [--repeats 20]

Builds the demo model and the sample styles in a temporary directory, renders demo jobs of
1024x1024 x 4 images with `sample-bold` through the runner's core (PNG files, as the API receives
them), then times `score_png` on those files against the style's palette: the whole call (PNG decode,
the 128-pixel area-averaged copy, the palette lookup), its parts, the palette table made once per
palette, and the same scoring with CIEDE2000 computed for every pixel (no table) for comparison.
Each figure is given as wall time and as this process's CPU time: on a shared machine the wall time
includes waiting for a core, and the CPU time is closer to what an idle machine takes (the scoring
runs on one thread). The machine's load average is printed beside them.
"""

from __future__ import annotations

import argparse
import base64
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class Ms(tuple):
    """(wall, cpu) milliseconds."""

    def __sub__(self, other: Ms) -> Ms:
        return Ms((self[0] - other[0], self[1] - other[1]))

    def __str__(self) -> str:
        return f"{self[0]:.1f} ms wall, {self[1]:.1f} ms CPU"


def median_ms(fn, repeats: int) -> Ms:  # noqa: ANN001
    wall, cpu = [], []
    for _ in range(repeats):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return Ms((statistics.median(wall) * 1000, statistics.median(cpu) * 1000))


def median_of(values: list[Ms]) -> Ms:
    return Ms((statistics.median(v[0] for v in values), statistics.median(v[1] for v in values)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=3)
    parser.add_argument("--repeats", type=int, default=20)
    args = parser.parse_args()

    import numpy as np
    from PIL import Image

    from brand import lookup
    from brand.color import srgb_to_lab
    from brand.score import NEAR, _reduced, score_png
    from loras.samples import SAMPLES, ensure_sample_styles
    from models.demo import ensure_demo_model
    from runner.schemas import RenderRequest
    from runner.worker import RunnerCore
    from settings import Settings

    style = SAMPLES[0]
    palette = list(style.palette)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        demo = ensure_demo_model(data)
        ensure_sample_styles(data / "styles", demo)
        core = RunnerCore(Settings(_env_file=None, data_dir=data))
        job = RenderRequest(job_id="j", prompt="benchmark", seed=1, num_images=4, model=demo.name, width=1024,
                            height=1024, steps=demo.steps, guidance=demo.guidance, style=style.name, style_weight=1.0)
        core.render([job.model_copy(update={"job_id": "warm-up"})])
        render_times, pngs = [], []
        for i in range(args.jobs):
            started = time.perf_counter()
            (result,) = core.render([job.model_copy(update={"job_id": f"j{i}", "seed": i})])
            render_times.append(time.perf_counter() - started)
            pngs += [base64.b64decode(image) for image in result.images]
        core.close()

    render_ms = statistics.median(render_times) * 1000 / job.num_images
    table_ms = median_ms(lambda: lookup.table_for.__wrapped__(tuple(palette), NEAR), 3)
    table = lookup.table_for(tuple(palette), NEAR)
    score_png(pngs[0], palette)  # warm

    def each(fn) -> Ms:  # noqa: ANN001
        return median_of([median_ms(lambda png=png: fn(png), args.repeats) for png in pngs])

    reduced = [_reduced(Image.open(io.BytesIO(png))).reshape(-1, 3) for png in pngs]
    total_ms = each(lambda png: score_png(png, palette))
    decode_ms = each(lambda png: Image.open(io.BytesIO(png)).load())
    reduce_ms = each(lambda png: _reduced(Image.open(io.BytesIO(png)))) - decode_ms
    lookup_ms = median_of([median_ms(lambda r=r: lookup.nearest_colours(r, table), args.repeats) for r in reduced])
    full_ms = median_of([
        median_ms(lambda r=r: lookup.exact(srgb_to_lab(r).astype(np.float32), table.lab, NEAR), max(3, args.repeats // 4))
        for r in reduced])
    open_share = statistics.mean(float(np.mean(table.blocks[(r >> 3).astype(np.intp) @ [1024, 32, 1]] == lookup.OPEN))
                                 for r in reduced)
    scores = [score_png(png, palette).score for png in pngs]

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average {load}")
    print(f"demo render, 1024x1024, {style.name}   : {render_ms:.0f} ms per image (median of {args.jobs} jobs of 4)")
    print(f"score_png per image, {len(palette)}-colour palette : {total_ms} ({total_ms[0] / render_ms:.1%} of the render)")
    print(f"  PNG decode                          : {decode_ms}")
    print(f"  area-averaged copy, 128 px          : {reduce_ms}")
    print(f"  palette lookup (+ open blocks)      : {lookup_ms} ({open_share:.0%} of pixels in open blocks)")
    print(f"  same, CIEDE2000 for every pixel     : {full_ms} (no table)")
    print(f"palette table, once per palette       : {table_ms}")
    print(f"scores of the {len(pngs)} images                : {min(scores):.3f}-{max(scores):.3f}")


if __name__ == "__main__":
    main()
