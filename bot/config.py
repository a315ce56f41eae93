"""Bot settings from the environment and an optional `.env` file.

pydantic-settings reads both, validates types and keeps the token a SecretStr, so it is never
printed by accident (its repr is '**********').
"""

from __future__ import annotations

import logging
from pathlib import Path

from pydantic import Field, SecretStr
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
