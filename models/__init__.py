"""Diffusion model families, the demo model and the engine that renders batches.

Importing this package (or `models.family`) stays light: torch and diffusers load only when a
pipeline is loaded or built, or when `models.engine` is imported.
"""

from models import flux, hidream, sd3
from models.family import FAMILIES, ModelConfig, ModelFamily, Preset, get_family, register

# Each family module registers here; adding a family is one module and one line.
register(flux.FLUX)
register(sd3.SD3)
register(hidream.HIDREAM)

__all__ = ["FAMILIES", "ModelConfig", "ModelFamily", "Preset", "get_family", "register"]
