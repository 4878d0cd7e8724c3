from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.model_info_scheduler_config_type_0 import ModelInfoSchedulerConfigType0


T = TypeVar("T", bound="ModelInfo")


@_attrs_define
class ModelInfo:
    """
    Attributes:
        default_guidance (float):
        default_height (int):
        default_steps (int):
        default_width (int):
        demo (bool):
        family (str):
        name (str):
        fingerprint (None | str | Unset): sha256 over the model's weight and config files.
        runtime (None | str | Unset): Libraries, device and precision it renders with (a change may change pixels).
        scheduler (None | str | Unset): The scheduler's class, as the pipeline runs it.
        scheduler_config (ModelInfoSchedulerConfigType0 | None | Unset): The scheduler's settings.
    """

    default_guidance: float
    default_height: int
    default_steps: int
    default_width: int
    demo: bool
    family: str
    name: str
    fingerprint: None | str | Unset = UNSET
    runtime: None | str | Unset = UNSET
    scheduler: None | str | Unset = UNSET
    scheduler_config: ModelInfoSchedulerConfigType0 | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.model_info_scheduler_config_type_0 import ModelInfoSchedulerConfigType0  # noqa: PLC0415

        default_guidance = self.default_guidance

        default_height = self.default_height

        default_steps = self.default_steps

        default_width = self.default_width

        demo = self.demo

        family = self.family

        name = self.name

        fingerprint: None | str | Unset
        if isinstance(self.fingerprint, Unset):
            fingerprint = UNSET
        else:
            fingerprint = self.fingerprint

        runtime: None | str | Unset
        if isinstance(self.runtime, Unset):
            runtime = UNSET
        else:
            runtime = self.runtime

        scheduler: None | str | Unset
        if isinstance(self.scheduler, Unset):
            scheduler = UNSET
        else:
            scheduler = self.scheduler

        scheduler_config: dict[str, Any] | None | Unset
        if isinstance(self.scheduler_config, Unset):
            scheduler_config = UNSET
        elif isinstance(self.scheduler_config, ModelInfoSchedulerConfigType0):
            scheduler_config = self.scheduler_config.to_dict()
        else:
            scheduler_config = self.scheduler_config

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "default_guidance": default_guidance,
                "default_height": default_height,
                "default_steps": default_steps,
                "default_width": default_width,
                "demo": demo,
                "family": family,
                "name": name,
            }
        )
        if fingerprint is not UNSET:
            field_dict["fingerprint"] = fingerprint
        if runtime is not UNSET:
            field_dict["runtime"] = runtime
        if scheduler is not UNSET:
            field_dict["scheduler"] = scheduler
        if scheduler_config is not UNSET:
            field_dict["scheduler_config"] = scheduler_config

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.model_info_scheduler_config_type_0 import ModelInfoSchedulerConfigType0  # noqa: PLC0415

        d = dict(src_dict)
        default_guidance = d.pop("default_guidance")

        default_height = d.pop("default_height")

        default_steps = d.pop("default_steps")

        default_width = d.pop("default_width")

        demo = d.pop("demo")

        family = d.pop("family")

        name = d.pop("name")

        def _parse_fingerprint(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        fingerprint = _parse_fingerprint(d.pop("fingerprint", UNSET))

        def _parse_runtime(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        runtime = _parse_runtime(d.pop("runtime", UNSET))

        def _parse_scheduler(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        scheduler = _parse_scheduler(d.pop("scheduler", UNSET))

        def _parse_scheduler_config(data: object) -> ModelInfoSchedulerConfigType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                scheduler_config_type_0 = ModelInfoSchedulerConfigType0.from_dict(data)

                return scheduler_config_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ModelInfoSchedulerConfigType0 | None | Unset, data)

        scheduler_config = _parse_scheduler_config(d.pop("scheduler_config", UNSET))

        model_info = cls(
            default_guidance=default_guidance,
            default_height=default_height,
            default_steps=default_steps,
            default_width=default_width,
            demo=demo,
            family=family,
            name=name,
            fingerprint=fingerprint,
            runtime=runtime,
            scheduler=scheduler,
            scheduler_config=scheduler_config,
        )

        model_info.additional_properties = d
        return model_info

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
