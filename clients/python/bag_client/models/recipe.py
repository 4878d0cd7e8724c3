from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.recipe_scheduler_config import RecipeSchedulerConfig


T = TypeVar("T", bound="Recipe")


@_attrs_define
class Recipe:
    """Everything that decided a job's pixels, as the runner rendered it (jobs/recipes.py).

    Attributes:
        guidance (float):
        height (int):
        model (str):
        model_fingerprint (str): sha256 over the model's weight and config files.
        product_version (str):
        scheduler (str): The scheduler's class.
        seeds (list[int]): One per image, in order.
        steps (int):
        width (int):
        runtime (None | str | Unset): Libraries, device and precision it rendered with.
        scheduler_config (RecipeSchedulerConfig | Unset): The scheduler's settings.
        style (None | str | Unset):
        style_fingerprint (None | str | Unset): sha256 of the style's adapter file.
        style_version (int | None | Unset):
        style_weight (float | None | Unset):
        trigger_words (list[str] | Unset): The style's words put before the prompt.
    """

    guidance: float
    height: int
    model: str
    model_fingerprint: str
    product_version: str
    scheduler: str
    seeds: list[int]
    steps: int
    width: int
    runtime: None | str | Unset = UNSET
    scheduler_config: RecipeSchedulerConfig | Unset = UNSET
    style: None | str | Unset = UNSET
    style_fingerprint: None | str | Unset = UNSET
    style_version: int | None | Unset = UNSET
    style_weight: float | None | Unset = UNSET
    trigger_words: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        guidance = self.guidance

        height = self.height

        model = self.model

        model_fingerprint = self.model_fingerprint

        product_version = self.product_version

        scheduler = self.scheduler

        seeds = self.seeds

        steps = self.steps

        width = self.width

        runtime: None | str | Unset
        if isinstance(self.runtime, Unset):
            runtime = UNSET
        else:
            runtime = self.runtime

        scheduler_config: dict[str, Any] | Unset = UNSET
        if not isinstance(self.scheduler_config, Unset):
            scheduler_config = self.scheduler_config.to_dict()

        style: None | str | Unset
        if isinstance(self.style, Unset):
            style = UNSET
        else:
            style = self.style

        style_fingerprint: None | str | Unset
        if isinstance(self.style_fingerprint, Unset):
            style_fingerprint = UNSET
        else:
            style_fingerprint = self.style_fingerprint

        style_version: int | None | Unset
        if isinstance(self.style_version, Unset):
            style_version = UNSET
        else:
            style_version = self.style_version

        style_weight: float | None | Unset
        if isinstance(self.style_weight, Unset):
            style_weight = UNSET
        else:
            style_weight = self.style_weight

        trigger_words: list[str] | Unset = UNSET
        if not isinstance(self.trigger_words, Unset):
            trigger_words = self.trigger_words

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "guidance": guidance,
                "height": height,
                "model": model,
                "model_fingerprint": model_fingerprint,
                "product_version": product_version,
                "scheduler": scheduler,
                "seeds": seeds,
                "steps": steps,
                "width": width,
            }
        )
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if scheduler_config is not UNSET:
            field_dict["scheduler_config"] = scheduler_config
        if style is not UNSET:
            field_dict["style"] = style
        if style_fingerprint is not UNSET:
            field_dict["style_fingerprint"] = style_fingerprint
        if style_version is not UNSET:
            field_dict["style_version"] = style_version
        if style_weight is not UNSET:
            field_dict["style_weight"] = style_weight
        if trigger_words is not UNSET:
            field_dict["trigger_words"] = trigger_words

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.recipe_scheduler_config import RecipeSchedulerConfig  # noqa: PLC0415

        d = dict(src_dict)
        guidance = d.pop("guidance")

        height = d.pop("height")

        model = d.pop("model")

        model_fingerprint = d.pop("model_fingerprint")

        product_version = d.pop("product_version")

        scheduler = d.pop("scheduler")

        seeds = cast(list[int], d.pop("seeds"))

        steps = d.pop("steps")

        width = d.pop("width")

        def _parse_runtime(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        runtime = _parse_runtime(d.pop("runtime", UNSET))

        _scheduler_config = d.pop("scheduler_config", UNSET)
        scheduler_config: RecipeSchedulerConfig | Unset
        if isinstance(_scheduler_config, Unset):
            scheduler_config = UNSET
        else:
            scheduler_config = RecipeSchedulerConfig.from_dict(_scheduler_config)

        def _parse_style(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        style = _parse_style(d.pop("style", UNSET))

        def _parse_style_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        style_fingerprint = _parse_style_fingerprint(d.pop("style_fingerprint", UNSET))

        def _parse_style_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        style_version = _parse_style_version(d.pop("style_version", UNSET))

        def _parse_style_weight(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        style_weight = _parse_style_weight(d.pop("style_weight", UNSET))

        trigger_words = cast(list[str], d.pop("trigger_words", UNSET))

        recipe = cls(
            guidance=guidance,
            height=height,
            model=model,
            model_fingerprint=model_fingerprint,
            product_version=product_version,
            scheduler=scheduler,
            seeds=seeds,
            steps=steps,
            width=width,
            runtime=runtime,
            scheduler_config=scheduler_config,
            style=style,
            style_fingerprint=style_fingerprint,
            style_version=style_version,
            style_weight=style_weight,
            trigger_words=trigger_words,
        )

        recipe.additional_properties = d
        return recipe

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
