"""Shared fixtures: where the repository, the bundled data and the mlplay binary are."""
import json
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
DATASETS = ROOT / "datasets"
BUNDLED = sorted(p.name for p in DATASETS.glob("*.csv"))

from na_values import NA_VALUES  # noqa: F401  (re-exported for the tests)


@pytest.fixture(scope="session")
def mlplay_bin():
    path = os.environ.get("MLPLAY_BIN", str(ROOT / "target" / "debug" / "mlplay"))
    if not os.path.exists(path):
        pytest.fail(f"mlplay binary not found at {path}; build it with `cargo build`")
    return path


def run_json(binary, *args):
    out = subprocess.run([binary, *args, "--json"], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)
