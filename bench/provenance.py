"""Content credentials cost: signing + reading back one image against the demo model's render time per image.

    .venv/bin/python bench/provenance.py [--images 20] [--jobs 3]

In one run: renders a default demo job (1024x1024 x 4 images) with the runner's core and takes its time
per image; then signs and reads back the job's PNGs as the API does when it stores them
(provenance/signer.py), with the manifest's embedded thumbnail off (what the product does) and on.
Prints the medians, the share of a job's render time each costs, and the bytes each adds to a PNG.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--images", type=int, default=20, help="sign + read-back runs per variant")
    parser.add_argument("--jobs", type=int, default=3, help="demo jobs rendered for the render time")
    args = parser.parse_args()

    from models.demo import ensure_demo_model
    from provenance.config import load_signing
    from provenance.manifest import ImageFacts
    from provenance.signer import ContentSigner
    from provenance.testchain import ensure_test_chain
    from runner.schemas import RenderRequest
    from runner.worker import RunnerCore
    from settings import Settings

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        demo = ensure_demo_model(data)
        core = RunnerCore(Settings(_env_file=None, data_dir=data))
        job = RenderRequest(job_id="j", prompt="benchmark", seed=1, num_images=4, model=demo.name,
                            width=demo.width, height=demo.height, steps=demo.steps, guidance=demo.guidance)
        core.render([job])  # warm up
        render_times = []
        result = None
        for i in range(args.jobs):
            started = time.perf_counter()
            result = core.render([job.model_copy(update={"job_id": f"j{i}"})])[0]
            render_times.append(time.perf_counter() - started)
        assert result is not None
        pngs = [base64.b64decode(image) for image in result.images]

        chain = ensure_test_chain(data)
        material = load_signing(Settings(_env_file=None, c2pa_cert_chain=str(chain.chain),
                                         c2pa_private_key=str(chain.key), c2pa_trust_anchors=str(chain.ca)))
        facts = ImageFacts(model=demo.name, model_version="0" * 64, style="acme", style_version=1)
        figures = {}
        for thumbnail in (False, True):
            signer = ContentSigner(material, thumbnail=thumbnail)
            signer.sign(pngs[0], facts, datetime.now(UTC))  # warm up: contexts, the native library
            sign_times, read_times, added = [], [], []
            for i in range(args.images):
                png = pngs[i % len(pngs)]
                started = time.perf_counter()
                signed = signer.sign(png, facts, datetime.now(UTC))
                signed_at = time.perf_counter()
                found = signer.read(signed)
                read_times.append(time.perf_counter() - signed_at)
                sign_times.append(signed_at - started)
                added.append(len(signed) - len(png))
                assert found is not None and found.state == "trusted", found
            figures[thumbnail] = (statistics.median(sign_times), statistics.median(read_times),
                                  statistics.median(added))

    per_image = statistics.median(render_times) / len(pngs)
    print(f"demo job 1024x1024 x{len(pngs)} render: {statistics.median(render_times) * 1000:.0f} ms "
          f"(median of {args.jobs}), {per_image * 1000:.0f} ms per image; PNG {len(pngs[0]) / 1e6:.2f} MB")
    for thumbnail, (sign_s, read_s, added_bytes) in figures.items():
        total = sign_s + read_s
        print(f"thumbnail {'on ' if thumbnail else 'off'}: sign {sign_s * 1000:.1f} ms + read back "
              f"{read_s * 1000:.1f} ms = {total * 1000:.1f} ms per image ({total / per_image:.1%} of its render "
              f"time), +{added_bytes / 1e3:.1f} kB per PNG (median of {args.images})")


if __name__ == "__main__":
    main()
