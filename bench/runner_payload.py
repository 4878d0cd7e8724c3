"""Bytes per job from the runner to the API: base64 raw RGB (before) against base64 PNG (now).

    .venv/bin/python bench/runner_payload.py [--size 1024] [--images 4]

Renders one job with the demo model through the runner's core, which answers with PNGs, and
measures the JSON of its RenderResult as sent, then the same result with the pixels as raw RGB, as
the runner sent them before. Both PNG encoders are measured (`fast`, the default, and `zlib`). The
demo model's images are noise, the hardest case for PNG; a real model's images compress further.
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=1024)
    parser.add_argument("--images", type=int, default=4)
    args = parser.parse_args()

    from PIL import Image

    from models.demo import ensure_demo_model
    from runner.schemas import RenderRequest
    from runner.worker import RunnerCore
    from settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        demo = ensure_demo_model(data)
        job = RenderRequest(job_id="00000000-0000-4000-8000-000000000000", claim=1, prompt="benchmark", seed=1,
                            num_images=args.images, model=demo.name, width=args.size, height=args.size,
                            steps=demo.steps, guidance=demo.guidance)
        print(f"one job: {args.images} images of {args.size}x{args.size}, demo model")
        raw_json = None
        for encoder in ("fast", "zlib"):
            core = RunnerCore(Settings(_env_file=None, data_dir=data, png_encoder=encoder))
            (result,) = core.render([job])
            core.close()
            assert result.error is None and len(result.images) == args.images, result.error
            png_json = len(result.model_dump_json())
            if raw_json is None:
                pixels = []
                for data_b64 in result.images:
                    with Image.open(io.BytesIO(base64.b64decode(data_b64))) as image:
                        pixels.append(base64.b64encode(image.convert("RGB").tobytes()).decode("ascii"))
                raw_json = len(result.model_copy(update={"images": pixels}).model_dump_json())
                print(f"  before, base64 raw RGB        : {raw_json:>11,} bytes of JSON")
            print(f"  now, base64 PNG ({encoder:<4} encoder): {png_json:>11,} bytes of JSON "
                  f"({png_json / raw_json:.2f}x)")


if __name__ == "__main__":
    main()
