"""Exact recipes: what a job rendered with, whether it would render the same pixels again, and
rendering it again. Knows nothing of HTTP.

A recipe is recorded when a job completes, from what the runner says it rendered with (the
fingerprints of the weights and the style's adapter file, the scheduler, the runtime), so it names
what was used, not what was configured. The product's version is recorded for provenance but is
not compared: what in a new release can change pixels is the diffusion libraries, the device and
the precision, and the recipe records and compares those on their own (`runtime`).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from jobs.brand_schemas import Recipe
from jobs.errors import DomainError, JobNotFound, RunnerNotReady
from jobs.models import Job, JobAccepted, JobStatus
from jobs.store import is_owner
from provenance.product import product_version
from runner.schemas import ModelInfo, RenderResult, StyleInfo

if TYPE_CHECKING:
    from auth.models import User
    from jobs.catalog import ModelCatalog
    from jobs.service import JobService

log = logging.getLogger(__name__)


class RecipeMissing(DomainError):
    code = "recipe_missing"

    def __init__(self, status: str) -> None:
        super().__init__(f"This job has no recipe ({status}): only jobs that completed with a recorded recipe "
                         "can be regenerated exactly.")


class RecipeNotRunnable(DomainError):
    code = "recipe_not_runnable"

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))


class RecipeCheck(BaseModel):
    exact: bool = Field(description="True when regenerating now renders the same pixels.")
    differences: list[str] = Field(description="Why not, one sentence each; empty when exact.")


class RegenerateAccepted(JobAccepted):
    differences: list[str] = Field(
        description="Why the new job's images will differ from the original's; empty when they will be identical.")


@dataclass(frozen=True)
class Difference:
    text: str
    # The recipe cannot run at all (its model or style is gone), rather than run differently.
    blocking: bool = False


def _short(fingerprint: str | None) -> str:
    return (fingerprint or "unknown")[:12]


def compare(recipe: Recipe, model: ModelInfo | None, style: StyleInfo | None) -> list[Difference]:
    """What differs between a recipe and what the runner serves now (`model`, `style`: its current
    model and style of those names, None when gone)."""
    if model is None:
        return [Difference(f"The model {recipe.model} is no longer served, so this recipe cannot run.", True)]
    found: list[Difference] = []
    if model.fingerprint is None:
        found.append(Difference(f"The generator does not report the fingerprint of the model {model.name}, so its "
                                "weights cannot be compared: the images may differ."))
    elif model.fingerprint != recipe.model_fingerprint:
        found.append(Difference(
            f"The weights of the model {model.name} have changed since this job (fingerprint "
            f"{_short(recipe.model_fingerprint)} then, {_short(model.fingerprint)} now): the images will differ."))
    if model.scheduler is not None and model.scheduler != recipe.scheduler:
        found.append(Difference(f"The model {model.name} now uses the {model.scheduler} scheduler; this job used "
                                f"{recipe.scheduler}: the images will differ."))
    elif model.scheduler_config is not None and model.scheduler_config != recipe.scheduler_config:
        changed = sorted(k for k in {*model.scheduler_config, *recipe.scheduler_config}
                         if model.scheduler_config.get(k) != recipe.scheduler_config.get(k))
        found.append(Difference(f"The settings of the {recipe.scheduler} scheduler have changed "
                                f"({', '.join(changed)}): the images will differ."))
    if model.runtime is not None and recipe.runtime is not None and model.runtime != recipe.runtime:
        found.append(Difference(f"The generator now renders with {model.runtime}; this job was rendered with "
                                f"{recipe.runtime}: the images may differ slightly."))
    if recipe.style is not None:
        found += _compare_style(recipe, style)
    return found


def _compare_style(recipe: Recipe, style: StyleInfo | None) -> list[Difference]:
    if style is None:
        return [Difference(f"The style {recipe.style} is no longer served, so this recipe cannot run.", True)]
    found: list[Difference] = []
    if style.fingerprint != recipe.style_fingerprint:
        if style.version is not None and recipe.style_version is not None:
            text = f"The style {style.name} is now version {style.version}; this job used version {recipe.style_version}."
        else:
            text = f"The adapter file of the style {style.name} has changed since this job."
        found.append(Difference(f"{text} The images will differ."))
    if style.trigger_words != recipe.trigger_words:
        found.append(Difference(f"The style {style.name} now puts \"{', '.join(style.trigger_words)}\" before the "
                                f"prompt; this job had \"{', '.join(recipe.trigger_words)}\": the images will differ."))
    return found


def record_recipe(catalog: ModelCatalog, job: Job, result: RenderResult) -> tuple[str | None, int | None]:
    """The recipe (JSON) and style version of a run that just rendered; (None, None) when the runner
    did not say what it rendered with. Never raises: the job's images are already stored."""
    used = result.rendered_with
    if used is None:
        return None, None
    try:
        version = None
        if job.style is not None and used.style_fingerprint is not None and catalog.versions is not None:
            family = next((m.family for m in catalog.models() if m.name == job.model), "")
            version = catalog.versions.version_of(job.style, used.style_fingerprint, family)
        recipe = Recipe(
            model=job.model, model_fingerprint=used.model_fingerprint, style=job.style, style_version=version,
            style_fingerprint=used.style_fingerprint, style_weight=job.style_weight if job.style else None,
            trigger_words=used.trigger_words, width=job.width, height=job.height, steps=job.steps,
            guidance=job.guidance, seeds=[job.seed + i for i in range(job.num_images)], scheduler=used.scheduler,
            scheduler_config=used.scheduler_config, runtime=used.runtime, product_version=product_version(),
        )
        return recipe.model_dump_json(), version
    except Exception:  # noqa: BLE001 - a lost recipe must not lose the job's images
        log.exception("could not record the recipe of job %s", job.id)
        return None, None


def recipe_of(job: Job) -> Recipe | None:
    return Recipe.model_validate_json(job.recipe) if job.recipe else None


class RecipeService:
    """Check and rerun a job's recipe: its owner, and reviewers (who review any user's images)."""

    def __init__(self, jobs: JobService) -> None:
        self.jobs = jobs

    def _readable(self, user: User, job_id: str) -> tuple[Job, Recipe]:
        job = self.jobs.store.get(job_id)
        if job is None or not (is_owner(job, user) or user.can_review):
            raise JobNotFound()
        recipe = recipe_of(job)
        if recipe is None:
            raise RecipeMissing(JobStatus(job.status).value)
        return job, recipe

    def _differences(self, recipe: Recipe) -> list[Difference]:
        catalog = self.jobs.catalog
        if not catalog.ready:
            raise RunnerNotReady(retry_after=5)
        model = next((m for m in catalog.models() if m.name == recipe.model), None)
        style = next((s for s in catalog.styles() if s.name == recipe.style), None)
        if style is not None and model is not None and style.family != model.family:
            style = None
        return compare(recipe, model, style)

    def check(self, user: User, job_id: str) -> RecipeCheck:
        _, recipe = self._readable(user, job_id)
        found = self._differences(recipe)
        return RecipeCheck(exact=not found, differences=[d.text for d in found])

    def regenerate(self, user: User, job_id: str) -> RegenerateAccepted:
        """A new job of the caller's with the recipe's prompt, settings and seeds."""
        original, recipe = self._readable(user, job_id)
        found = self._differences(recipe)
        if blocking := [d.text for d in found if d.blocking]:
            raise RecipeNotRunnable(blocking)
        jobs, now = self.jobs, self.jobs.clock()
        job = Job(
            owner_oid=user.oid, owner_tid=user.tid,
            # As a submission keeps it (JobService.submit): only for credentials that name their creator.
            owner_name=user.name if jobs.settings.c2pa_include_creator else None,
            prompt=original.prompt, model=recipe.model, style=recipe.style,
            style_weight=recipe.style_weight if recipe.style else 1.0, width=recipe.width, height=recipe.height,
            num_images=len(recipe.seeds), steps=recipe.steps, guidance=recipe.guidance, seed=recipe.seeds[0],
            created_at=now,
        )
        jobs.store.admit(job, jobs.limits, now)
        jobs.notifier.notify()
        return RegenerateAccepted(job_id=job.id, status=job.status, created_at=job.created_at,
                                  differences=[d.text for d in found])
