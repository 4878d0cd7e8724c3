from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.job_status import JobStatus

T = TypeVar("T", bound="RegenerateAccepted")


@_attrs_define
class RegenerateAccepted:
    """
    Attributes:
        created_at (datetime.datetime):
        differences (list[str]): Why the new job's images will differ from the original's; empty when they will be
            identical.
        job_id (str):
        status (JobStatus):
    """

    created_at: datetime.datetime
    differences: list[str]
    job_id: str
    status: JobStatus
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        created_at = self.created_at.isoformat()

        differences = self.differences

        job_id = self.job_id

        status = self.status.value

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "differences": differences,
                "job_id": job_id,
                "status": status,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        differences = cast(list[str], d.pop("differences"))

        job_id = d.pop("job_id")

        status = JobStatus(d.pop("status"))

        regenerate_accepted = cls(
            created_at=created_at,
            differences=differences,
            job_id=job_id,
            status=status,
        )

        regenerate_accepted.additional_properties = d
        return regenerate_accepted

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
