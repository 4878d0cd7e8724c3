from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.brand_color import BrandColor


T = TypeVar("T", bound="BrandMatch")


@_attrs_define
class BrandMatch:
    """
    Attributes:
        colors (list[BrandColor]): The palette colours found in the image, most present first.
        score (float): The fraction of the image's pixels near some palette colour, 0 to 1.
    """

    colors: list[BrandColor]
    score: float
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        colors = []
        for colors_item_data in self.colors:
            colors_item = colors_item_data.to_dict()
            colors.append(colors_item)

        score = self.score

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "colors": colors,
                "score": score,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.brand_color import BrandColor  # noqa: PLC0415

        d = dict(src_dict)
        colors = []
        _colors = d.pop("colors")
        for colors_item_data in _colors:
            colors_item = BrandColor.from_dict(colors_item_data)

            colors.append(colors_item)

        score = d.pop("score")

        brand_match = cls(
            colors=colors,
            score=score,
        )

        brand_match.additional_properties = d
        return brand_match

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
