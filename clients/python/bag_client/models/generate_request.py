from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.generate_request_aspect_ratio_type_0 import GenerateRequestAspectRatioType0
from ..types import UNSET, Unset

T = TypeVar("T", bound="GenerateRequest")


@_attrs_define
class GenerateRequest:
    """What a caller may ask for. Unknown fields are refused rather than silently ignored.

    Attributes:
        prompt (str):
        aspect_ratio (GenerateRequestAspectRatioType0 | None | Unset): A preset size of about one megapixel; or give
            width and height instead.
        height (int | None | Unset):
        model (None | str | Unset):
        num_images (int | Unset):  Default: 4.
        seed (int | None | Unset):
        steps (int | None | Unset):
        style (None | str | Unset):
        width (int | None | Unset):
    """

    prompt: str
    aspect_ratio: GenerateRequestAspectRatioType0 | None | Unset = UNSET
    height: int | None | Unset = UNSET
    model: None | str | Unset = UNSET
    num_images: int | Unset = 4
    seed: int | None | Unset = UNSET
    steps: int | None | Unset = UNSET
    style: None | str | Unset = UNSET
    width: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        prompt = self.prompt

        aspect_ratio: None | str | Unset
        if isinstance(self.aspect_ratio, Unset):
            aspect_ratio = UNSET
        elif isinstance(self.aspect_ratio, GenerateRequestAspectRatioType0):
            aspect_ratio = self.aspect_ratio.value
        else:
            aspect_ratio = self.aspect_ratio

        height: int | None | Unset
        if isinstance(self.height, Unset):
            height = UNSET
        else:
            height = self.height

        model: None | str | Unset
        if isinstance(self.model, Unset):
            model = UNSET
        else:
            model = self.model

        num_images = self.num_images

        seed: int | None | Unset
        if isinstance(self.seed, Unset):
            seed = UNSET
        else:
            seed = self.seed

        steps: int | None | Unset
        if isinstance(self.steps, Unset):
            steps = UNSET
        else:
            steps = self.steps

        style: None | str | Unset
        if isinstance(self.style, Unset):
            style = UNSET
        else:
            style = self.style

        width: int | None | Unset
        if isinstance(self.width, Unset):
            width = UNSET
        else:
            width = self.width

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "prompt": prompt,
            }
        )
        if aspect_ratio is not UNSET:
            field_dict["aspect_ratio"] = aspect_ratio
        if height is not UNSET:
            field_dict["height"] = height
        if model is not UNSET:
            field_dict["model"] = model
        if num_images is not UNSET:
            field_dict["num_images"] = num_images
        if seed is not UNSET:
            field_dict["seed"] = seed
        if steps is not UNSET:
            field_dict["steps"] = steps
        if style is not UNSET:
            field_dict["style"] = style
        if width is not UNSET:
            field_dict["width"] = width

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        prompt = d.pop("prompt")

        def _parse_aspect_ratio(data: object) -> GenerateRequestAspectRatioType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                aspect_ratio_type_0 = GenerateRequestAspectRatioType0(data)

                return aspect_ratio_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(GenerateRequestAspectRatioType0 | None | Unset, data)

        aspect_ratio = _parse_aspect_ratio(d.pop("aspect_ratio", UNSET))

        def _parse_height(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        height = _parse_height(d.pop("height", UNSET))

        def _parse_model(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        model = _parse_model(d.pop("model", UNSET))

        num_images = d.pop("num_images", UNSET)

        def _parse_seed(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        seed = _parse_seed(d.pop("seed", UNSET))

        def _parse_steps(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        steps = _parse_steps(d.pop("steps", UNSET))

        def _parse_style(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        style = _parse_style(d.pop("style", UNSET))

        def _parse_width(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        width = _parse_width(d.pop("width", UNSET))

        generate_request = cls(
            prompt=prompt,
            aspect_ratio=aspect_ratio,
            height=height,
            model=model,
            num_images=num_images,
            seed=seed,
            steps=steps,
            style=style,
            width=width,
        )

        return generate_request
