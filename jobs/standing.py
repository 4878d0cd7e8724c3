"""Where a job stands: its phase, and what the GPU does before it (read on every poll, so lean).

A running job waits for the GPU until its first denoising step: the runner puts a run on its board
at step 0 before it takes the GPU lock, and the dispatcher copies the steps it reports into the row
(a job the runner has not begun yet reports nothing, and stays at step 0 too). Once the steps are
done (step = total) the job's images are made and it is still `rendering` while they are stored.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, case, func, literal, or_
from sqlalchemy.sql import Select
from sqlmodel import col, select

from jobs.models import ACTIVE_STATUSES, Job, JobPhase, JobStatus


def phase_of(job: Job) -> JobPhase:
    status = JobStatus(job.status)
    if status.is_terminal:
        return JobPhase.finished
    if status == JobStatus.queued:
        return JobPhase.queued
    return JobPhase.waiting_for_gpu if job.progress_step == 0 else JobPhase.rendering


@dataclass(frozen=True)
class Standing:
    queue_position: int | None  # queued jobs ahead of a queued job; None for a running one
    images_ahead: int


def _still_rendering():  # noqa: ANN202
    """Running jobs whose steps are not all done: their images are still ahead on the GPU (a run
    not begun yet has reported no total: 0)."""
    return and_(
        col(Job.status) == JobStatus.running,
        or_(col(Job.progress_total) == 0, col(Job.progress_step) < col(Job.progress_total)),
    )


def _before(column, value, job: Job):  # noqa: ANN001, ANN202
    """Rows ordered before `job` by (column, id): the dispatcher's order, ties broken by id."""
    return or_(column < value, and_(column == value, col(Job.id) < job.id))


def standing_query(job: Job) -> Select | None:
    """One aggregate query for a job that is queued or waiting for the GPU; None for any other.

    Queued: the queued jobs accepted before it, and the images of those and of every running job
    still rendering. Waiting: the images of running jobs claimed before it, still rendering. Only
    active rows are read (the status index), a queue's worth at most.
    """
    phase = phase_of(job)
    if phase == JobPhase.queued:
        queued_before = and_(col(Job.status) == JobStatus.queued, _before(col(Job.created_at), job.created_at, job))
        ahead = or_(queued_before, _still_rendering())
        return select(
            func.count(case((queued_before, 1))),
            func.coalesce(func.sum(case((ahead, col(Job.num_images)), else_=0)), 0),
        ).where(col(Job.status).in_(ACTIVE_STATUSES))
    if phase == JobPhase.waiting_for_gpu:
        return select(literal(None), func.coalesce(func.sum(col(Job.num_images)), 0)).where(
            _still_rendering(), _before(col(Job.started_at), job.started_at, job)
        )
    return None
