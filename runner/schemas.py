"""What crosses between the API layer and the runner. Plain JSON types only, so the same calls
work on one box (BentoML pickles) and against a runner served apart (BentoML sends JSON)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field


class RenderedWith(BaseModel):
    """What decided a render's pixels besides the request (runner/fingerprints.py), for its recipe."""

    model_fingerprint: str
    scheduler: str
    scheduler_config: dict[str, Any] = Field(default_factory=dict)
    runtime: str
    style_fingerprint: str | None = None
    # The style's trigger words put before the prompt: they change the pixels as much as the adapter.
    trigger_words: list[str] = Field(default_factory=list)


class RenderRequest(BaseModel):
    job_id: str
    # Which claim of the job this run is (the ledger's fencing token, unique per run): progress and
    # cancels name it, so a cancel meant for a run that was taken over never stops the next one.
    claim: int = 0
    prompt: str
    seed: int
    num_images: int = Field(ge=1, le=4)
    model: str
    width: int
    height: int
    steps: int
    guidance: float
    # The brand style (None: the base model) and its weight; requests of different styles are
    # never mixed in one pipeline call.
    style: str | None = None
    style_weight: float = 1.0


class RenderResult(BaseModel):
    job_id: str
    claim: int = 0
    # PNG files (storage/png.py, the `png_encoder` setting), base64: final, as what crosses a process
    # boundary should be, and at worst about the size of the raw pixels sent before (noise, the demo
    # model's output, is the worst case: bench/runner_payload.py). The runner encodes them in a thread pool
    # once the GPU is free, so the next batch does not wait for them.
    images: list[str] = Field(default_factory=list)
    width: int = 0
    height: int = 0
    pipeline_ms: float = 0.0
    batch_jobs: int = 1
    cancelled: bool = False
    # The runner was stopping (SIGTERM) and did not run this, or stopped it at its drain deadline:
    # the dispatcher queues the job again unspent, as if the call had never been taken.
    not_taken: bool = False
    error: str | None = None
    # What this run rendered with (fingerprints of the weights and the style's adapter file).
    rendered_with: RenderedWith | None = None


class JobProgress(BaseModel):
    job_id: str
    claim: int = 0
    step: int
    total: int


class ModelInfo(BaseModel):
    name: str
    family: str
    demo: bool
    default_steps: int
    default_guidance: float
    default_width: int
    default_height: int
    fingerprint: str | None = Field(default=None, description="sha256 over the model's weight and config files.")
    scheduler: str | None = Field(default=None, description="The scheduler's class, as the pipeline runs it.")
    scheduler_config: dict[str, Any] | None = Field(default=None, description="The scheduler's settings.")
    runtime: str | None = Field(
        default=None, description="Libraries, device and precision it renders with (a change may change pixels).")


class StyleInfo(BaseModel):
    name: str
    family: str
    description: str
    trigger_words: list[str]
    default_weight: float
    palette: list[str] = Field(default_factory=list, description="The brand's colours, #rrggbb; images are scored "
                               "against them. Empty: the style declares none.")
    fingerprint: str | None = Field(default=None, description="sha256 of the style's adapter file.")
    version: int | None = Field(
        default=None, description="The style's current version: each new adapter file is a new version, from 1.")


class RefusedStyleInfo(BaseModel):
    directory: str
    reason: str


class RunnerHealth(BaseModel):
    ready: bool
    # Which runner answered (several may sit behind one address), and its runs in flight.
    runner_id: str = ""
    runs: int = 0
    device: str
    models: list[ModelInfo]
    styles: list[StyleInfo] = Field(default_factory=list)
    refused_styles: list[RefusedStyleInfo] = Field(default_factory=list)
