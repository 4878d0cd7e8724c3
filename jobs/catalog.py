"""What the runner serves, as the API layer knows it, and how a request's defaults are filled in."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from jobs.errors import InvalidRequest
from jobs.models import GenerateRequest
from runner.schemas import ModelInfo


@dataclass(frozen=True)
class ResolvedSettings:
    model: str
    width: int
    height: int
    steps: int
    guidance: float
    demo: bool


class ModelCatalog:
    """Filled from the runner's health answer; empty until the runner has answered once."""

    def __init__(self, models: list[ModelInfo] | None = None) -> None:
        self._lock = threading.Lock()
        self._models: dict[str, ModelInfo] = {}
        self._default: str | None = None
        if models:
            self.update(models)

    def update(self, models: list[ModelInfo]) -> None:
        with self._lock:
            self._models = {m.name: m for m in models}
            self._default = models[0].name if models else None

    @property
    def ready(self) -> bool:
        return self._default is not None

    def models(self) -> list[ModelInfo]:
        return list(self._models.values())

    def is_demo(self, name: str) -> bool:
        info = self._models.get(name)
        return info.demo if info else False

    def resolve(self, request: GenerateRequest) -> ResolvedSettings:
        name = request.model or self._default
        info = self._models.get(name or "")
        if info is None:
            known = ", ".join(sorted(self._models)) or "none yet"
            raise InvalidRequest("model", f"Unknown model '{request.model}'. Available: {known}.")
        return ResolvedSettings(
            model=info.name,
            width=request.width or info.default_width,
            height=request.height or info.default_height,
            steps=request.steps or info.default_steps,
            guidance=info.default_guidance,
            demo=info.demo,
        )
