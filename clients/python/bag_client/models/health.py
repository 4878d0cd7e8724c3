from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.health_content_credentials import HealthContentCredentials
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.runner_status import RunnerStatus


T = TypeVar("T", bound="Health")


@_attrs_define
class Health:
    """
    Attributes:
        jobs_in_flight (int): Jobs this API process is running now.
        runner_ready (bool): Some runner has answered: the models on offer are known.
        status (str): `ok`; `starting` until a runner answers; `runner_failed` while no runner is up and the latest one
            could not start (see `runner_error`).
        content_credentials (HealthContentCredentials | Unset): `signing`: every stored image gets signed content
            credentials (C2PA); `unsigned`: no signing key is configured, so images are stored without them; `off`: turned
            off on purpose (BAG_C2PA_SIGNING=off). Default: HealthContentCredentials.UNSIGNED.
        runner_error (None | str | Unset): Why the runner could not start (exception type and first line), while no
            runner is up; the server log has the rest.
        runners (list[RunnerStatus] | Unset): The runners: every one seen in the last day when runners share their run
            state through the database (several behind one address), else the one that answered last.
        runners_up (int | Unset): How many of `runners` are up. Default: 0.
    """

    jobs_in_flight: int
    runner_ready: bool
    status: str
    content_credentials: HealthContentCredentials | Unset = HealthContentCredentials.UNSIGNED
    runner_error: None | str | Unset = UNSET
    runners: list[RunnerStatus] | Unset = UNSET
    runners_up: int | Unset = 0
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        jobs_in_flight = self.jobs_in_flight

        runner_ready = self.runner_ready

        status = self.status

        content_credentials: str | Unset = UNSET
        if not isinstance(self.content_credentials, Unset):
            content_credentials = self.content_credentials.value

        runner_error: None | str | Unset
        if isinstance(self.runner_error, Unset):
            runner_error = UNSET
        else:
            runner_error = self.runner_error

        runners: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.runners, Unset):
            runners = []
            for runners_item_data in self.runners:
                runners_item = runners_item_data.to_dict()
                runners.append(runners_item)

        runners_up = self.runners_up

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "jobs_in_flight": jobs_in_flight,
                "runner_ready": runner_ready,
                "status": status,
            }
        )
        if content_credentials is not UNSET:
            field_dict["content_credentials"] = content_credentials
        if runner_error is not UNSET:
            field_dict["runner_error"] = runner_error
        if runners is not UNSET:
            field_dict["runners"] = runners
        if runners_up is not UNSET:
            field_dict["runners_up"] = runners_up

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.runner_status import RunnerStatus  # noqa: PLC0415

        d = dict(src_dict)
        jobs_in_flight = d.pop("jobs_in_flight")

        runner_ready = d.pop("runner_ready")

        status = d.pop("status")

        _content_credentials = d.pop("content_credentials", UNSET)
        content_credentials: HealthContentCredentials | Unset
        if isinstance(_content_credentials, Unset):
            content_credentials = UNSET
        else:
            content_credentials = HealthContentCredentials(_content_credentials)

        def _parse_runner_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        runner_error = _parse_runner_error(d.pop("runner_error", UNSET))

        _runners = d.pop("runners", UNSET)
        runners: list[RunnerStatus] | Unset = UNSET
        if _runners is not UNSET:
            runners = []
            for runners_item_data in _runners:
                runners_item = RunnerStatus.from_dict(runners_item_data)

                runners.append(runners_item)

        runners_up = d.pop("runners_up", UNSET)

        health = cls(
            jobs_in_flight=jobs_in_flight,
            runner_ready=runner_ready,
            status=status,
            content_credentials=content_credentials,
            runner_error=runner_error,
            runners=runners,
            runners_up=runners_up,
        )

        health.additional_properties = d
        return health

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
