"""What models must return, as pydantic models; every answer is validated into one of these.

The JSON schemas sent to providers are generated from these classes, so the shape a model
is asked for and the shape that is accepted cannot drift apart.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class _Output(BaseModel):
    # Closed objects: structured-output APIs require additionalProperties=false.
    model_config = ConfigDict(extra="forbid")


class SummaryItem(_Output):
    language: str = Field(description="BCP-47 code of the language this summary is written in.")
    text: str = Field(description="The summary, faithful to the article, in that language.")
    note: str = Field(
        default="", description="Empty, or why this summary is incomplete (e.g. cannot translate)."
    )


class SummaryOutput(_Output):
    summaries: list[SummaryItem] = Field(
        description="One summary per requested language, in the order requested."
    )


class ClaimItem(_Output):
    text: str = Field(description="The claim, atomic and self-contained, in the article language.")
    quote: str = Field(description="The verbatim passage of the article that states the claim.")
    translations: dict[str, str] = Field(
        default_factory=dict, description="The claim rendered in each requested language, by code."
    )


class ClaimsOutput(_Output):
    claims: list[ClaimItem] = Field(description="Check-worthy claims in article order.")


class EvidenceItem(_Output):
    url: str = Field(description="Address of the source.")
    title: str = Field(default="", description="Title of the source.")
    quote: str = Field(default="", description="The passage of the source that bears on the claim.")


class VerdictItem(_Output):
    claim: int = Field(description="The claim's number as given in the request, from 1.")
    # `error` is ours to give (infrastructure), never a model's.
    verdict: Literal["supported", "refuted", "misleading", "uncertain"] = Field(
        description="supported, refuted, misleading, or uncertain when you lack reliable knowledge."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="Confidence in the verdict, 0 to 1.")
    rationale: str = Field(description="One sentence on the verdict, in the reader language.")
    evidence: list[EvidenceItem] = Field(default_factory=list, description="Sources, if any.")


class VerifyOutput(_Output):
    verdicts: list[VerdictItem] = Field(description="One verdict per claim.")
