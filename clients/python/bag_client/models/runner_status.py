from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RunnerStatus")


@_attrs_define
class RunnerStatus:
    """
    Attributes:
        device (str):
        host (str): The host it runs on; empty when it does not report to the database.
        id (str): The runner's name (BAG_RUNNER_ID, or its host and process id).
        models (list[str]):
        runs (int): Jobs it is rendering now.
        seen_seconds_ago (float): Seconds since it last reported.
        up (bool): Whether it reported lately enough to count as serving.
        error (None | str | Unset): Why it could not start (exception type and first line), as it exited; null for a
            runner that started.
    """

    device: str
    host: str
    id: str
    models: list[str]
    runs: int
    seen_seconds_ago: float
    up: bool
    error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        device = self.device

        host = self.host

        id = self.id

        models = self.models

        runs = self.runs

        seen_seconds_ago = self.seen_seconds_ago

        up = self.up

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "device": device,
                "host": host,
                "id": id,
                "models": models,
                "runs": runs,
                "seen_seconds_ago": seen_seconds_ago,
                "up": up,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        device = d.pop("device")

        host = d.pop("host")

        id = d.pop("id")

        models = cast(list[str], d.pop("models"))

        runs = d.pop("runs")

        seen_seconds_ago = d.pop("seen_seconds_ago")

        up = d.pop("up")

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        runner_status = cls(
            device=device,
            host=host,
            id=id,
            models=models,
            runs=runs,
            seen_seconds_ago=seen_seconds_ago,
            up=up,
            error=error,
        )

        runner_status.additional_properties = d
        return runner_status

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
