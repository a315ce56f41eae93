"""Bot settings from the environment and an optional `.env` file.

pydantic-settings reads both, validates types and keeps the token a SecretStr, so it is never
printed by accident (its repr is '**********').
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from claims.store import default_db_path


class Settings(BaseSettings):
    """Everything the bot needs to run; see deploy/.env.example."""

    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    discord_token: SecretStr | None = None
    crosscheck_db: Path | str = Field(default_factory=default_db_path)  # a file, or postgresql://...
    dev_guild_id: int | None = Field(default=None, description="Sync commands to this guild only (instant).")
    check_rate: int = Field(default=5, ge=1, description="Checks a user may make per cooldown window.")
    check_per_seconds: float = Field(default=30.0, gt=0, description="The cooldown window, in seconds.")
    log_level: str = "INFO"
    privacy_url: str | None = Field(default=None, description="Where the operator publishes the privacy notice "
                                                              "(deploy/PRIVACY.md, adapted); /privacy links to it.")
    crosscheck_review_url: str | None = Field(
        default=None, description="ClaimReview export: the public address the reviews are read at.")
    shard_count: int | None = Field(default=None, ge=1, description="How many shards the bot runs as in all "
                                    "(default: as many as Discord recommends, all in this process).")
    shard_ids: list[int] | None = Field(default=None, description="The shards this process runs, e.g. [0, 1] "
                                        "(needs shard_count; default: all of them).")

    @field_validator("shard_ids", mode="before")
    @classmethod
    def _shard_list(cls, value: object) -> object:
        # SHARD_IDS=0,1 in the environment, as well as a JSON list.
        if isinstance(value, str) and not value.strip().startswith("["):
            return [int(part) for part in value.split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        if self.shard_ids is not None:
            if self.shard_count is None:
                raise ValueError("SHARD_IDS needs SHARD_COUNT (how many shards there are in all)")
            bad = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if bad or not self.shard_ids:
                raise ValueError(f"SHARD_IDS must be between 0 and {self.shard_count - 1} (got {self.shard_ids})")
        return self


class RedactToken(logging.Filter):
    """Belt and braces: blank the token out of any log line that would carry it."""

    def __init__(self, token: str | None):
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg = message.replace(self.token, "[token]")
                record.args = ()
        return True
