"""Diffusion model families, the demo model and the engine that renders batches.

Importing this package (or `models.family`) stays light: torch and diffusers load only when a
pipeline is loaded or built, or when `models.engine` is imported.
"""

from models import flux
from models.family import FAMILIES, ModelConfig, ModelFamily, Preset, get_family, register

# Each family module registers here; adding HiDream-I1 or SD 3.5 is one module and one line.
register(flux.FLUX)

__all__ = ["FAMILIES", "ModelConfig", "ModelFamily", "Preset", "get_family", "register"]
