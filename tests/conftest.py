"""Shared fixtures. Tests use small networks and a fixed seed; every model runs offline."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Every test gets its own data dir and never reads a developer's ranpilot.toml."""
    monkeypatch.setenv("RANPILOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)


def shared_path(*parts: str) -> Path:
    """A path under ../shared, skipping the test with a reason when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared is not beside this checkout)")
    return path


@pytest.fixture(scope="session")
def published():
    """The published E2AP modules in ../shared, compiled by that folder's own script
    (check_decode.Decoder); skipped when ../shared is absent."""
    sys.path.insert(0, str(shared_path("standards", "e2")))
    try:
        from check_decode import Decoder
    finally:
        sys.path.pop(0)
    return Decoder()
