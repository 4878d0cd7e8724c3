from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define

from ..models.review_request_decision import ReviewRequestDecision
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewRequest")


@_attrs_define
class ReviewRequest:
    """A reviewer's decision on one image. Unknown fields are refused.

    Attributes:
        decision (ReviewRequestDecision):
        comment (None | str | Unset): Why, for the record and the image's owner; at most 1000 characters.
    """

    decision: ReviewRequestDecision
    comment: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        decision = self.decision.value

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "decision": decision,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decision = ReviewRequestDecision(d.pop("decision"))

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        review_request = cls(
            decision=decision,
            comment=comment,
        )

        return review_request
