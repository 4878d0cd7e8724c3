"""What the runner serves, as the API layer knows it, and how a request's defaults are filled in."""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from jobs.errors import InvalidRequest
from jobs.models import ASPECT_RATIOS, GenerateRequest
from runner.schemas import ModelInfo, RunnerHealth, StyleInfo

if TYPE_CHECKING:
    from loras.versions import StyleVersions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ResolvedSettings:
    model: str
    width: int
    height: int
    steps: int
    guidance: float
    demo: bool
    style: str | None
    style_weight: float


class ModelCatalog:
    """Filled from the runner's health answer; empty until the runner has answered once."""

    def __init__(self, models: list[ModelInfo] | None = None, styles: list[StyleInfo] | None = None,
                 default_style: str = "", versions: StyleVersions | None = None) -> None:
        self._lock = threading.Lock()
        # Numbers each adapter file the runner reports (a database write the first time one is
        # seen): GET /styles shows the current version, jobs record theirs (jobs/recipes.py).
        self.versions = versions
        self._models: dict[str, ModelInfo] = {}
        self._styles: dict[str, StyleInfo] = {}
        self._default: str | None = None
        self.default_style = default_style or None
        # The last health answer and when it came (monotonic): /health shows that runner when
        # runners do not report themselves in the database.
        self._answer: tuple[RunnerHealth, float] | None = None
        if models:
            self.update(models, styles or [])

    def update(self, models: list[ModelInfo], styles: list[StyleInfo]) -> None:
        styles = [self._versioned(s) for s in styles]
        with self._lock:
            self._models = {m.name: m for m in models}
            self._styles = {s.name: s for s in styles}
            self._default = models[0].name if models else None

    def _versioned(self, style: StyleInfo) -> StyleInfo:
        if self.versions is None or style.fingerprint is None:
            return style
        try:
            version = self.versions.version_of(style.name, style.fingerprint, style.family)
        except Exception:  # noqa: BLE001 - the database is out: shown without a version until the next answer
            log.exception("could not number the version of style %s", style.name)
            return style
        return style.model_copy(update={"version": version})

    def observe(self, health: RunnerHealth) -> None:
        """A runner answered its health call: what it serves, and that it is up. May write to the
        database (a new style version): call it off the event loop."""
        self.update(health.models, health.styles)
        self._answer = (health, time.monotonic())

    def last_answer(self) -> tuple[RunnerHealth, float] | None:
        """The last health answer and how many seconds ago it came; None before any."""
        answer = self._answer
        return (answer[0], time.monotonic() - answer[1]) if answer else None

    def styles(self) -> list[StyleInfo]:
        return list(self._styles.values())

    def palette(self, style_name: str | None) -> list[str] | None:
        """The style's brand palette; None for no style, an unknown one, or one that declares none."""
        style = self._styles.get(style_name or "")
        return list(style.palette) if style and style.palette else None

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
        style_name = request.style or self.default_style
        style = self._styles.get(style_name or "")
        if style_name and (style is None or style.family != info.family):
            known = ", ".join(sorted(s.name for s in self._styles.values() if s.family == info.family)) or "none"
            raise InvalidRequest("style", f"Unknown style '{style_name}' for model {info.name}. Available: {known}.")
        width, height = ASPECT_RATIOS[request.aspect_ratio] if request.aspect_ratio else (request.width, request.height)
        return ResolvedSettings(
            model=info.name,
            width=width or info.default_width,
            height=height or info.default_height,
            steps=request.steps or info.default_steps,
            guidance=info.default_guidance,
            demo=info.demo,
            style=style.name if style else None,
            style_weight=style.default_weight if style else 1.0,
        )
