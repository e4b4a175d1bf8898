"""User settings: environment variables `RANPILOT_*`, then `./ranpilot.toml`, then defaults.

Example `ranpilot.toml`:

    data_dir = "/var/lib/ranpilot"
    seed = 7
    llm_base_url = "http://localhost:8000/v1"
    llm_model = "qwen2.5-7b-instruct"
"""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


def _default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ranpilot"


class Settings(BaseSettings):
    """Where ranpilot keeps its data, which LLM it may use, and its seeds."""

    model_config = SettingsConfigDict(env_prefix="RANPILOT_", toml_file="ranpilot.toml", extra="forbid")

    data_dir: Path = Field(default_factory=_default_data_dir, description="Knowledge store, checkpoints, audit log.")
    llm_base_url: str | None = Field(default=None, description="OpenAI-compatible endpoint; unset = embedded planner.")
    llm_model: str | None = None
    llm_api_key: SecretStr | None = None
    seed: int = Field(default=0, description="Seed of the simulated network.")

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
