"""What models must return, as pydantic models; every answer is validated into one of these.

The JSON schemas sent to providers are generated from these classes, so the shape a model
is asked for and the shape that is accepted cannot drift apart.

:class:`Answer` holds the three answers side by side. A provider sends its schema for every
task of a model, so the summary, extraction and verification calls of one model carry the
same output format: the services cache an exact prefix that includes the format, and one
format per task would make the calls share nothing. A task fills its own list and leaves
the others empty; the answer is then validated into the task's own model.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema


def _pairs_to_map(value: Any) -> Any:
    """``[{"language": "fr", "text": "…"}]`` as ``{"fr": "…"}``; a mapping passes as is."""
    if isinstance(value, list):
        pairs = [item for item in value if isinstance(item, dict)]
        if len(pairs) == len(value):
            return {str(p.get("language", "")): p.get("text", "") for p in pairs}
    return value


# Asked for as a list of (language, text) pairs: a closed schema cannot hold a free-form map
# without listing its keys, and keys that vary with the requested languages would give every
# request its own schema (and so its own, uncacheable, prefix). Kept as a map once validated.
Translations = Annotated[dict[str, str], BeforeValidator(_pairs_to_map), WithJsonSchema({
    "type": "array",
    "description": "The claim rendered in each requested language, one entry per language.",
    "items": {"type": "object", "additionalProperties": False,
              "required": ["language", "text"],
              "properties": {
                  "language": {"type": "string", "description": "The language's code."},
                  "text": {"type": "string", "description": "The claim in that language."}}},
})]


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
    translations: Translations = Field(
        default_factory=dict, description="The claim rendered in each requested language."
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
    cites: list[str] = Field(
        default_factory=list,
        description="Ids of the evidence passages the verdict relies on (E1, E2 …); empty when "
                    "it rests on your own knowledge.")
    evidence: list[EvidenceItem] = Field(
        default_factory=list, description="Only with your own web search: the sources it found.")


class VerifyOutput(_Output):
    verdicts: list[VerdictItem] = Field(description="One verdict per claim.")


class Answer(_Output):
    """Every task's answer in one shape: the task asked for fills its list, the others stay
    empty."""

    summaries: list[SummaryItem] = Field(
        description="The summaries, when asked to summarize; otherwise empty."
    )
    claims: list[ClaimItem] = Field(
        description="The claims, when asked to list claims; otherwise empty."
    )
    verdicts: list[VerdictItem] = Field(
        description="The verdicts, when asked to judge claims; otherwise empty."
    )
