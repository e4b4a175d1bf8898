"""User settings: environment variables `RANPILOT_*`, then `./ranpilot.toml`, then defaults.

Example `ranpilot.toml`:

    data_dir = "/var/lib/ranpilot"
    seed = 7
    llm_base_url = "http://localhost:8000/v1"
    llm_model = "qwen2.5-7b-instruct"
    a1_token = "a-long-random-shared-secret"
    service_url = "http://127.0.0.1:8750"
    a1_notification_allowlist = ["https://smo.example.net:8443"]
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ranpilot"


_TOKEN = dict(default=None, min_length=16)


class Settings(BaseSettings):
    """Where ranpilot keeps its data, which LLM it may use, its seeds, and the secrets and
    allow-list that guard the O-RAN interfaces (`ranpilot.oran`)."""

    model_config = SettingsConfigDict(env_prefix="RANPILOT_", toml_file="ranpilot.toml", extra="forbid")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Knowledge store, checkpoints, audit log.")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint; unset = embedded planner.")
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    seed: int = Field(default=0, description="Seed of the simulated network.")
    embedding_backend: Literal["onnx-int8", "torch"] = Field(
        default="onnx-int8", description="How new knowledge stores embed: the int8 quantization of the float model "
        "(faster ingest, the same held-out recall@5 on the 12-spec store: benchmarks/ingest.py) or the float model "
        "itself (run from its ONNX export, the model the intent classifier uses). A store keeps the variant it was "
        "built with.")
    a1_token: SecretStr | None = Field(**_TOKEN, description="Bearer token the A1-P service requires; unset = "
                                       "no authentication, allowed on loopback only.")
    e2_token: SecretStr | None = Field(**_TOKEN, description="Token an xApp sends first on a TCP connection to "
                                       "the E2 node server; unset = none, allowed on loopback only.")
    service_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/\S*)?$", description="URL of a running "
                                    "`ranpilot serve` (e.g. http://127.0.0.1:8750) that `ranpilot run` goes through; "
                                    "unset = run in this process.")
    service_token: SecretStr | None = Field(**_TOKEN, description="Bearer token `ranpilot serve` requires and "
                                            "`ranpilot run` sends it; unset = none, allowed on loopback only.")
    a1_notification_allowlist: list[str] = Field(
        default_factory=list, description="Where the A1-P service may POST policy status: scheme://host:port[/path] "
        "entries, matched exactly (host and port) and under the path; empty = no callbacks.")

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls)


def load_settings() -> Settings:
    """Read settings afresh (environment and ./ranpilot.toml)."""
    return Settings()
