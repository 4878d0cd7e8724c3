"""A Python with the product's dependencies (.venv's site-packages) and without the product itself.

.venv holds the product as an editable install: a .pth file in its site-packages adds an import hook
for the source tree to every .venv Python, so there an import can quietly come from the source tree.
A folder named in a .pth file of another environment is put on sys.path without its own .pth files
being run: this Python finds the dependencies and never the source tree, as in a container built
from the Bento (dependencies installed, the product only as the Bento's src/).
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
from pathlib import Path


def deps_only_python(where: Path) -> Path:
    """A new virtual environment at `where` (no pip, nothing copied) seeing .venv's packages; its python."""
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(where)], check=True, timeout=60)
    python = where / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                          check=True, capture_output=True, text=True, timeout=60).stdout.strip()
    paths = dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])
    (Path(site) / "product-deps.pth").write_text("".join(f"{p}\n" for p in paths))
    return python
