from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.review_record_decision import ReviewRecordDecision
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReviewRecord")


@_attrs_define
class ReviewRecord:
    """One decision as it was made; `cleared` takes the standing decision back.

    Attributes:
        decided_at (datetime.datetime):
        decision (ReviewRecordDecision):
        reviewer_name (str):
        comment (None | str | Unset):
    """

    decided_at: datetime.datetime
    decision: ReviewRecordDecision
    reviewer_name: str
    comment: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        decided_at = self.decided_at.isoformat()

        decision = self.decision.value

        reviewer_name = self.reviewer_name

        comment: None | str | Unset
        if isinstance(self.comment, Unset):
            comment = UNSET
        else:
            comment = self.comment

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "decided_at": decided_at,
                "decision": decision,
                "reviewer_name": reviewer_name,
            }
        )
        if comment is not UNSET:
            field_dict["comment"] = comment

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        decided_at = datetime.datetime.fromisoformat(d.pop("decided_at"))

        decision = ReviewRecordDecision(d.pop("decision"))

        reviewer_name = d.pop("reviewer_name")

        def _parse_comment(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        comment = _parse_comment(d.pop("comment", UNSET))

        review_record = cls(
            decided_at=decided_at,
            decision=decision,
            reviewer_name=reviewer_name,
            comment=comment,
        )

        review_record.additional_properties = d
        return review_record

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
