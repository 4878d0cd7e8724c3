from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_phase import JobPhase
from ..models.job_public_aspect_ratio_type_0 import JobPublicAspectRatioType0
from ..models.job_status import JobStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.image_public import ImagePublic
    from ..models.progress import Progress
    from ..models.recipe import Recipe


T = TypeVar("T", bound="JobPublic")


@_attrs_define
class JobPublic:
    """
    Attributes:
        attempts (int):
        created_at (datetime.datetime):
        demo (bool): True when the images come from the demo model (random weights: noise).
        finished_at (datetime.datetime | None):
        guidance (float):
        height (int):
        job_id (str):
        model (str):
        num_images (int):
        phase (JobPhase): Where a job is, finer than its status: a running job first waits for the GPU.
        prompt (str):
        seed (int):
        started_at (datetime.datetime | None):
        status (JobStatus):
        steps (int):
        style (None | str):
        width (int):
        aspect_ratio (JobPublicAspectRatioType0 | None | Unset): The preset the size matches, if any.
        error (None | str | Unset):
        images (list[ImagePublic] | Unset):
        images_ahead (int | None | Unset): Images ahead of this job's first image across all the GPUs serving this API
            (the rest of every running job's and every earlier queued job's), while the job is queued or waiting for the
            GPU; null otherwise, and always null in lists (GET /jobs). An estimate: with several GPUs they share that work,
            and compatible jobs share a batch, so the wait is shorter.
        pipeline_ms (float | None | Unset): The runner's pipeline time for the call this job ran in (complete jobs).
        progress (None | Progress | Unset):
        queue_position (int | None | Unset): Jobs ahead of this one while it is queued (0: next).
        recipe (None | Recipe | Unset): Everything that decided the pixels (complete jobs); GET
            /jobs/{job_id}/recipe/check says whether regenerating it now gives the same images.
        style_version (int | None | Unset): The version of the style this job used.
    """

    attempts: int
    created_at: datetime.datetime
    demo: bool
    finished_at: datetime.datetime | None
    guidance: float
    height: int
    job_id: str
    model: str
    num_images: int
    phase: JobPhase
    prompt: str
    seed: int
    started_at: datetime.datetime | None
    status: JobStatus
    steps: int
    style: None | str
    width: int
    aspect_ratio: JobPublicAspectRatioType0 | None | Unset = UNSET
    error: None | str | Unset = UNSET
    images: list[ImagePublic] | Unset = UNSET
    images_ahead: int | None | Unset = UNSET
    pipeline_ms: float | None | Unset = UNSET
    progress: None | Progress | Unset = UNSET
    queue_position: int | None | Unset = UNSET
    recipe: None | Recipe | Unset = UNSET
    style_version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.progress import Progress  # noqa: PLC0415
        from ..models.recipe import Recipe  # noqa: PLC0415

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        demo = self.demo

        finished_at: None | str
        if isinstance(self.finished_at, datetime.datetime):
            finished_at = self.finished_at.isoformat()
        else:
            finished_at = self.finished_at

        guidance = self.guidance

        height = self.height

        job_id = self.job_id

        model = self.model

        num_images = self.num_images

        phase = self.phase.value

        prompt = self.prompt

        seed = self.seed

        started_at: None | str
        if isinstance(self.started_at, datetime.datetime):
            started_at = self.started_at.isoformat()
        else:
            started_at = self.started_at

        status = self.status.value

        steps = self.steps

        style: None | str
        style = self.style

        width = self.width

        aspect_ratio: None | str | Unset
        if isinstance(self.aspect_ratio, Unset):
            aspect_ratio = UNSET
        elif isinstance(self.aspect_ratio, JobPublicAspectRatioType0):
            aspect_ratio = self.aspect_ratio.value
        else:
            aspect_ratio = self.aspect_ratio

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        images: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.images, Unset):
            images = []
            for images_item_data in self.images:
                images_item = images_item_data.to_dict()
                images.append(images_item)

        images_ahead: int | None | Unset
        if isinstance(self.images_ahead, Unset):
            images_ahead = UNSET
        else:
            images_ahead = self.images_ahead

        pipeline_ms: float | None | Unset
        if isinstance(self.pipeline_ms, Unset):
            pipeline_ms = UNSET
        else:
            pipeline_ms = self.pipeline_ms

        progress: dict[str, Any] | None | Unset
        if isinstance(self.progress, Unset):
            progress = UNSET
        elif isinstance(self.progress, Progress):
            progress = self.progress.to_dict()
        else:
            progress = self.progress

        queue_position: int | None | Unset
        if isinstance(self.queue_position, Unset):
            queue_position = UNSET
        else:
            queue_position = self.queue_position

        recipe: dict[str, Any] | None | Unset
        if isinstance(self.recipe, Unset):
            recipe = UNSET
        elif isinstance(self.recipe, Recipe):
            recipe = self.recipe.to_dict()
        else:
            recipe = self.recipe

        style_version: int | None | Unset
        if isinstance(self.style_version, Unset):
            style_version = UNSET
        else:
            style_version = self.style_version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "created_at": created_at,
                "demo": demo,
                "finished_at": finished_at,
                "guidance": guidance,
                "height": height,
                "job_id": job_id,
                "model": model,
                "num_images": num_images,
                "phase": phase,
                "prompt": prompt,
                "seed": seed,
                "started_at": started_at,
                "status": status,
                "steps": steps,
                "style": style,
                "width": width,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if error is not UNSET:
            field_dict["error"] = error
        if images is not UNSET:
            field_dict["images"] = images
        if images_ahead is not UNSET:
            field_dict["images_ahead"] = images_ahead
        if pipeline_ms is not UNSET:
            field_dict["pipeline_ms"] = pipeline_ms
        if progress is not UNSET:
            field_dict["progress"] = progress
        if queue_position is not UNSET:
            field_dict["queue_position"] = queue_position
        if recipe is not UNSET:
            field_dict["recipe"] = recipe
        if style_version is not UNSET:
            field_dict["style_version"] = style_version

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.image_public import ImagePublic  # noqa: PLC0415
        from ..models.progress import Progress  # noqa: PLC0415
        from ..models.recipe import Recipe  # noqa: PLC0415

        d = dict(src_dict)
        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        demo = d.pop("demo")

        def _parse_finished_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                finished_at_type_0 = datetime.datetime.fromisoformat(data)

                return finished_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        finished_at = _parse_finished_at(d.pop("finished_at"))

        guidance = d.pop("guidance")

        height = d.pop("height")

        job_id = d.pop("job_id")

        model = d.pop("model")

        num_images = d.pop("num_images")

        phase = JobPhase(d.pop("phase"))

        prompt = d.pop("prompt")

        seed = d.pop("seed")

        def _parse_started_at(data: object) -> datetime.datetime | None:
            if data is None:
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                started_at_type_0 = datetime.datetime.fromisoformat(data)

                return started_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None, data)

        started_at = _parse_started_at(d.pop("started_at"))

        status = JobStatus(d.pop("status"))

        steps = d.pop("steps")

        def _parse_style(data: object) -> None | str:
            if data is None:
                return data
            return cast(None | str, data)

        style = _parse_style(d.pop("style"))

        width = d.pop("width")

        def _parse_aspect_ratio(data: object) -> JobPublicAspectRatioType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aspect_ratio_type_0 = JobPublicAspectRatioType0(data)

                return aspect_ratio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JobPublicAspectRatioType0 | None | Unset, data)

        aspect_ratio = _parse_aspect_ratio(d.pop("aspect_ratio", UNSET))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        _images = d.pop("images", UNSET)
        images: list[ImagePublic] | Unset = UNSET
        if _images is not UNSET:
            images = []
            for images_item_data in _images:
                images_item = ImagePublic.from_dict(images_item_data)

                images.append(images_item)

        def _parse_images_ahead(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        images_ahead = _parse_images_ahead(d.pop("images_ahead", UNSET))

        def _parse_pipeline_ms(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        pipeline_ms = _parse_pipeline_ms(d.pop("pipeline_ms", UNSET))

        def _parse_progress(data: object) -> None | Progress | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                progress_type_0 = Progress.from_dict(data)

                return progress_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Progress | Unset, data)

        progress = _parse_progress(d.pop("progress", UNSET))

        def _parse_queue_position(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        queue_position = _parse_queue_position(d.pop("queue_position", UNSET))

        def _parse_recipe(data: object) -> None | Recipe | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                recipe_type_0 = Recipe.from_dict(data)

                return recipe_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Recipe | Unset, data)

        recipe = _parse_recipe(d.pop("recipe", UNSET))

        def _parse_style_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        style_version = _parse_style_version(d.pop("style_version", UNSET))

        job_public = cls(
            attempts=attempts,
            created_at=created_at,
            demo=demo,
            finished_at=finished_at,
            guidance=guidance,
            height=height,
            job_id=job_id,
            model=model,
            num_images=num_images,
            phase=phase,
            prompt=prompt,
            seed=seed,
            started_at=started_at,
            status=status,
            steps=steps,
            style=style,
            width=width,
            aspect_ratio=aspect_ratio,
            error=error,
            images=images,
            images_ahead=images_ahead,
            pipeline_ms=pipeline_ms,
            progress=progress,
            queue_position=queue_position,
            recipe=recipe,
            style_version=style_version,
        )

        job_public.additional_properties = d
        return job_public

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
