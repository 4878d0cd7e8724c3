"""The job table and the schemas that enter and leave the API."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import BigInteger, DateTime, Index, String, Text, text
from sqlmodel import Field as SQLField
from sqlmodel import SQLModel

from common.clock import utcnow  # also imported from here by older code
from common.text import MultiLine, SingleLine
from jobs.brand_schemas import BrandMatch, ContentCredentials, ImageReviewState, Recipe


class JobStatus(enum.StrEnum):
    queued = "queued"
    running = "running"
    complete = "complete"
    failed = "failed"
    cancelled = "cancelled"

    @property
    def is_terminal(self) -> bool:
        return self in (JobStatus.complete, JobStatus.failed, JobStatus.cancelled)


ACTIVE_STATUSES = (JobStatus.queued, JobStatus.running)


class JobPhase(enum.StrEnum):
    """Where a job is, finer than its status: a running job first waits for the GPU."""

    queued = "queued"  # in the API's queue
    waiting_for_gpu = "waiting_for_gpu"  # handed to a runner; its first denoising step has not run
    rendering = "rendering"  # steps running, or its images being stored
    finished = "finished"  # complete, failed or cancelled


# Prompt search on PostgreSQL (jobs/search.py): job_prompt_words(prompt), a function migration 0009
# creates, gives the prompt's words by the rules of jobs/search.py as a tsvector. The GIN index is
# on exactly this expression, and the search asks for the same one, so the planner uses the index.
PROMPT_WORDS_FUNCTION = "job_prompt_words"
PROMPT_WORDS_VECTOR = f"{PROMPT_WORDS_FUNCTION}(prompt)"


class Job(SQLModel, table=True):
    """One accepted request. The row is the job's ledger from the moment /generate answers 202.

    The schema is owned by the Alembic migrations in `jobs/migrations`; keep the two in step.
    """

    __table_args__ = (
        Index("ix_job_owner_created", "owner_tid", "owner_oid", "created_at"),
        Index("ix_job_status_created", "status", "created_at"),
        Index("ix_job_created_at", "created_at"),
        Index("ix_job_prompt_words", text(PROMPT_WORDS_VECTOR), postgresql_using="gin").ddl_if(dialect="postgresql"),
    )

    id: str = SQLField(default_factory=lambda: str(uuid.uuid4()), primary_key=True, max_length=36)
    owner_oid: str = SQLField(max_length=64)
    owner_tid: str = SQLField(max_length=64)
    prompt: str = SQLField(sa_type=Text)
    model: str = SQLField(max_length=64)
    style: str | None = SQLField(default=None, max_length=64)
    style_weight: float | None = None
    width: int
    height: int
    num_images: int
    steps: int
    guidance: float
    seed: int = SQLField(sa_type=BigInteger)
    status: JobStatus = SQLField(default=JobStatus.queued, sa_type=String(16))
    progress_step: int = 0
    progress_total: int = 0
    # Attempts spent: counted when a run is claimed, given back when the run ends before its first
    # step (the runner refused it, or it was lost while waiting for the GPU). See `handoffs`.
    attempts: int = 0
    # Every claim counts here and nothing is given back, so it is the fencing token: a process may
    # only heartbeat, finish or cancel the claim it made, and the runner keys cancels on it.
    claims: int = 0
    # Runs lost before their first step (runner crash or restart, API crash): bounded apart from
    # `attempts`, so a job that crashes the runner before rendering cannot loop for ever.
    handoffs: int = 0
    # In flight when a run was lost as the runner broke off under it (a crash the job may have
    # caused): it runs alone until it completes. A lapsed lease (the API died) never sets it.
    suspect: bool = False
    error: str | None = SQLField(default=None, sa_type=Text)
    created_at: datetime = SQLField(default_factory=utcnow, sa_type=DateTime(timezone=True))
    started_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
    finished_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
    heartbeat_at: datetime | None = SQLField(default=None, sa_type=DateTime(timezone=True))
    # The runner's pipeline time for this job's batch, kept for the overhead benchmark and ops.
    pipeline_ms: float | None = None
    images_stored: int = 0
    # Everything needed to render the same pixels again (JSON: model and weights fingerprint, style
    # and adapter fingerprint, sizes, steps, guidance, seeds, scheduler, product version).
    recipe: str | None = SQLField(default=None, sa_type=Text)
    # The style's version (loras/versions.py) this job used; null without a style.
    style_version: int | None = None
    # The owner's display name, kept only while BAG_C2PA_INCLUDE_CREATOR is on: the images' content
    # credentials then name their creator (provenance/manifest.py). Null otherwise.
    owner_name: str | None = SQLField(default=None, max_length=200)


# About one megapixel each, sides multiples of 16 (what every family's VAE and patching need), and
# the exact ratio wherever a multiple of 16 allows it.
ASPECT_RATIOS: dict[str, tuple[int, int]] = {
    "1:1": (1024, 1024),
    "4:5": (896, 1120),
    "3:2": (1248, 832),
    "16:9": (1280, 720),
    "9:16": (720, 1280),
}
AspectRatio = Literal["1:1", "4:5", "3:2", "16:9", "9:16"]


def aspect_ratio_of(width: int, height: int) -> AspectRatio | None:
    """The preset a size is, if it is one (so a client can ask for the same again)."""
    return next((name for name, size in ASPECT_RATIOS.items() if size == (width, height)), None)  # type: ignore[return-value]


class GenerateRequest(BaseModel):
    """What a caller may ask for. Unknown fields are refused rather than silently ignored."""

    model_config = ConfigDict(extra="forbid")

    # Text follows common/text.py, so what SQLite accepts PostgreSQL can store (no NUL, no controls).
    # Lengths count in NFC, as stored; model and style fit the job table's 64-character columns.
    prompt: Annotated[str, MultiLine(2000)] = Field(min_length=1)
    model: Annotated[str, SingleLine(64)] | None = None
    style: Annotated[str, SingleLine(64)] | None = None
    aspect_ratio: AspectRatio | None = Field(
        default=None, description="A preset size of about one megapixel; or give width and height instead."
    )
    width: int | None = Field(default=None, ge=256, le=2048)
    height: int | None = Field(default=None, ge=256, le=2048)
    num_images: int = Field(default=4, ge=1, le=4)
    steps: int | None = Field(default=None, ge=1, le=100)
    seed: int | None = Field(default=None, ge=0, le=2**32 - 1)

    @field_validator("prompt")
    @classmethod
    def prompt_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("prompt must not be blank")
        return value.strip()

    @field_validator("width", "height")
    @classmethod
    def multiple_of_16(cls, value: int | None) -> int | None:
        if value is not None and value % 16:
            raise ValueError("must be a multiple of 16")
        return value

    @model_validator(mode="after")
    def one_way_to_size(self) -> GenerateRequest:
        if self.aspect_ratio is not None and (self.width is not None or self.height is not None):
            raise PydanticCustomError("size_conflict", "give either aspect_ratio or width and height, not both")
        return self


class Progress(BaseModel):
    step: int
    total: int


class ImagePublic(BaseModel):
    index: int
    url: str = Field(description="The PNG, valid until `expires_at`; the link itself is the credential.")
    download_url: str = Field(description="The same PNG, answered as an attachment with a file name (a browser saves it).")
    thumbnail_url: str = Field(description="A WebP copy of at most 512 pixels a side, for grids.")
    small_thumbnail_url: str = Field(description="A WebP copy of at most 160 pixels a side, for lists.")
    width: int
    height: int
    seed: int
    expires_at: datetime
    credentials: ContentCredentials | None = Field(
        default=None, description="The image's signed content credentials; null when it was stored unsigned.")
    brand: BrandMatch | None = Field(
        default=None, description="How much of the image is in the style's palette; null when the style has none.")
    review: ImageReviewState | None = Field(
        default=None, description="The standing review decision; null when none stands.")


class JobPublic(BaseModel):
    job_id: str
    status: JobStatus
    prompt: str
    model: str
    style: str | None
    width: int
    height: int
    aspect_ratio: AspectRatio | None = Field(default=None, description="The preset the size matches, if any.")
    num_images: int
    steps: int
    guidance: float
    seed: int
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: Progress | None = None
    queue_position: int | None = Field(
        default=None, description="Jobs ahead of this one while it is queued (0: next)."
    )
    phase: JobPhase = Field(
        description="Where the job is: `queued` (waiting in the queue), `waiting_for_gpu` (handed to the "
        "generator, which is still busy with earlier work), `rendering` (steps running or images being "
        "stored) or `finished` (complete, failed or cancelled: see `status`)."
    )
    images_ahead: int | None = Field(
        default=None,
        description="Images ahead of this job's first image across all the GPUs serving this API (the rest "
        "of every running job's and every earlier queued job's), while the job is queued or waiting for the GPU; "
        "null otherwise, and always null in lists (GET /jobs). An estimate: with several GPUs they share that "
        "work, and compatible jobs share a batch, so the wait is shorter.",
    )
    attempts: int
    error: str | None = None
    images: list[ImagePublic] = Field(default_factory=list)
    pipeline_ms: float | None = Field(
        default=None, description="The runner's pipeline time for the call this job ran in (complete jobs)."
    )
    demo: bool = Field(description="True when the images come from the demo model (random weights: noise).")
    style_version: int | None = Field(default=None, description="The version of the style this job used.")
    recipe: Recipe | None = Field(
        default=None, description="Everything that decided the pixels (complete jobs); GET /jobs/{job_id}/recipe/check "
        "says whether regenerating it now gives the same images.")


class JobAccepted(BaseModel):
    job_id: str
    status: JobStatus
    created_at: datetime


# Paging bounds: far past any real history and far below the 64-bit integers both databases hold
# (a larger offset would overflow there and answer 500).
MAX_PAGE_SIZE = 100
MAX_OFFSET = 10_000_000


class JobPage(BaseModel):
    items: list[JobPublic]
    total: int
    limit: int
    offset: int
