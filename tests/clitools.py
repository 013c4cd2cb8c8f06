"""Running the ``autarky`` command in a subprocess, as a user does, in tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run_cli(*args: str, store: Path) -> subprocess.CompletedProcess[str]:
    """``python -m autarky ARGS`` over ``store`` (``AUTARKY_STORE``), 200 columns wide, output captured."""
    env = {**os.environ, "AUTARKY_STORE": str(store), "COLUMNS": "200"}
    return subprocess.run([sys.executable, "-m", "autarky", *args], capture_output=True, text=True, env=env,
                          timeout=300)
