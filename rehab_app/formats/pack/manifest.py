"""The strict models of a pack's `manifest.toml` and `signature` members."""

from __future__ import annotations

from typing import Annotated

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints, field_validator

from rehab_app.core.plan import PainThresholds

#: The newest pack format this build reads; a newer pack is refused, never half-understood.
PACK_FORMAT_VERSION = 1

PackId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9\-]{2,63}$")]
Version = Annotated[str, StringConstraints(pattern=r"^\d{1,4}\.\d{1,4}\.\d{1,4}$")]


class PackManifest(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: int = Field(ge=1)
    pack_id: PackId
    version: int = Field(ge=1, le=1_000_000)
    title: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
    author: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    created: AwareDatetime
    min_app_version: Version = "0.1.0"
    message: Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)] = ""
    thresholds: PainThresholds = Field(default_factory=PainThresholds)

    @field_validator("format_version")
    @classmethod
    def _not_newer(cls, value: int) -> int:
        if value > PACK_FORMAT_VERSION:
            raise ValueError(
                f"{value}: this pack was made by a newer version of rehab_app"
                f" (this one reads format {PACK_FORMAT_VERSION}); please update the app"
            )
        return value


class PackSignature(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    format_version: int = Field(ge=1, le=1)
    algorithm: Annotated[str, StringConstraints(pattern=r"^ed25519$")]
    public_key: Annotated[str, StringConstraints(max_length=100)]
    signed: Annotated[str, StringConstraints(max_length=200_000)]
    signature: Annotated[str, StringConstraints(max_length=200)]


def version_tuple(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))
