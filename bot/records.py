"""Frozen records passed between the stages of the flow.

They are plain values: no I/O, no behaviour beyond small derived properties. Untrusted
data (model output, configuration) is validated by pydantic in ``schemas``/``config``
before it becomes one of these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Verdict(StrEnum):
    """One panel model's judgement of one claim."""

    SUPPORTED = "supported"
    REFUTED = "refuted"
    MISLEADING = "misleading"
    UNCERTAIN = "uncertain"  # the model declines: abstention
    ERROR = "error"  # no answer: infrastructure, never abstention


class Consensus(StrEnum):
    """The panel's combined judgement of one claim."""

    AGREED_SUPPORTED = "agreed-supported"
    AGREED_REFUTED = "agreed-refuted"
    AGREED_MISLEADING = "agreed-misleading"
    DISPUTED = "disputed"
    ABSTAINED = "abstained"
    INSUFFICIENT = "insufficient"


@dataclass(frozen=True)
class RawDocument:
    """Bytes as read from a source, before decoding."""

    data: bytes
    source: str  # what the user gave: a path, a URL, or "-"
    content_type: str | None = None  # MIME type from HTTP or guessed from the suffix
    charset: str | None = None  # declared charset, if any
    url: str | None = None  # final URL after redirects, for fetched documents
    etag: str | None = None  # validators for the next conditional request
    last_modified: str | None = None
    not_modified: bool = False  # a conditional request found the resource unchanged


@dataclass(frozen=True)
class Extracted:
    """The article's text and metadata pulled out of a document."""

    text: str
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601 date when the page states one
    findings: tuple[str, ...] = ()  # what extraction removed or noticed (hidden text)


@dataclass(frozen=True)
class Language:
    """A detected language: a BCP-47 code (``und`` when unsure) and a confidence in [0, 1]."""

    code: str
    confidence: float


@dataclass(frozen=True)
class Article:
    """A normalized article, ready for the pipeline."""

    id: str  # the fingerprint's first 16 hex digits: stable across runs
    sha256: str  # fingerprint of the normalized text
    text: str
    title: str
    language: Language
    source: str
    canonical_url: str | None = None
    author: str | None = None
    published: str | None = None
    # Ingest's warnings: hidden HTML removed, text addressed to AI models (not stored: derived)
    findings: tuple[str, ...] = ()

    @property
    def chars(self) -> int:
        """Length of the normalized text in characters."""
        return len(self.text)


@dataclass(frozen=True)
class Usage:
    """Tokens spent by one model call."""

    input_tokens: int = 0
    output_tokens: int = 0
    cache_read_tokens: int = 0
    cache_write_tokens: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.cache_read_tokens + other.cache_read_tokens,
            self.cache_write_tokens + other.cache_write_tokens,
        )


@dataclass(frozen=True)
class Summary:
    """An article's summary in one language."""

    language: str
    text: str
    model: str
    note: str | None = None  # e.g. the offline provider's "cannot translate"
    prompt_sha256: str = ""


@dataclass(frozen=True)
class Claim:
    """One atomic, check-worthy claim with the verbatim quote that locates it."""

    id: str
    position: int  # order in the article, from 0
    text: str
    quote: str
    translations: dict[str, str] = field(default_factory=dict)
    prompt_sha256: str = ""


@dataclass(frozen=True)
class Evidence:
    """A source a model cited for a verdict."""

    url: str
    title: str = ""
    quote: str = ""


@dataclass(frozen=True)
class Vote:
    """One panel model's verdict on one claim."""

    claim_id: str
    model: str
    verdict: Verdict
    confidence: float
    rationale: str
    evidence: tuple[Evidence, ...] = ()  # sources the model's own web search returned
    prompt_sha256: str = ""
    # Ids of the evidence passages the verdict relies on (only ids that were given); none:
    # the verdict is from the model's own knowledge.
    cites: tuple[str, ...] = ()


@dataclass(frozen=True)
class ClaimResult:
    """A claim with every vote on it and the panel's consensus."""

    claim: Claim
    votes: tuple[Vote, ...]
    consensus: Consensus
    flagged: bool
    review: Review | None = None  # the moderators' latest decision, when there is one
    evidence: tuple[Passage, ...] = ()  # the numbered passages every panel model was given


@dataclass(frozen=True)
class SearchHit:
    """One result of one search."""

    url: str
    title: str
    snippet: str
    backend: str  # the [[search]] block's name ("web"), or "archive"
    published: str | None = None  # ISO 8601 date when the backend gives one
    language: str | None = None  # BCP-47 when known (Wikipedia: its wiki's language)
    site: str | None = None  # outlet or host ("lemonde.fr"); the archive: the article's host
    article_id: str | None = None  # archive hits: the stored article (its text is in the store)
    # The whole text, when the search already read it (the archive): the hit is read without
    # another visit to the store. Not a search result's field: not compared, not printed.
    text: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class SearchRecord:
    """One search as the report lists it (DESIGN: "searches")."""

    backend: str
    query: str
    status: str  # "ok" | "error" | "cached"
    results: int
    latency_ms: int
    error: str | None = None


@dataclass(frozen=True)
class Passage:
    """One numbered evidence passage, the same for every panel model."""

    id: str  # "E1", "E2", … unique within a check
    url: str
    title: str
    site: str  # host or outlet
    published: str | None
    language: str | None
    text: str  # a few sentences
    backend: str  # which search found it ("web", "wikipedia", "archive")


@dataclass(frozen=True)
class EvidenceResult:
    """What the evidence stage found for a check."""

    passages: dict[str, tuple[Passage, ...]]  # claim id -> its passages, best first
    searches: tuple[SearchRecord, ...]
    warnings: tuple[str, ...] = ()
    failed: str | None = None  # set when every backend failed: the stage failed (one line)


class MemberStatus(StrEnum):
    """How one panel model fared on an article."""

    OK = "ok"  # it answered
    OFFLINE = "offline"  # the offline provider: it answers by rule, verifying nothing
    ERROR = "error"  # it was asked and gave no usable answer (the reason says why)
    NOT_ASKED = "not asked"  # nothing to ask it: no claims, or the claims stage failed


@dataclass(frozen=True)
class PanelMember:
    """How one panel (or escalation) model fared on an article."""

    name: str
    provider: str
    model: str
    status: MemberStatus
    latency_ms: int
    usage: Usage
    reason: str | None = None  # why it erred or was not asked
    escalation: bool = False  # asked only about the disputed and abstained claims

    @property
    def answered(self) -> bool:
        """Whether this model gave verdicts (the offline one answers by rule)."""
        return self.status in (MemberStatus.OK, MemberStatus.OFFLINE)


class Stage(StrEnum):
    """The stages of a check that can fail as a whole (the report is then incomplete)."""

    SUMMARY = "summary"
    CLAIMS = "claims"
    PANEL = "panel"  # every panel model failed
    ESCALATION = "escalation"  # every escalation model that was asked failed
    EVIDENCE = "evidence"  # every search backend failed


class ReportStatus(StrEnum):
    """Whether every stage of a check answered."""

    COMPLETE = "complete"
    INCOMPLETE = "incomplete"  # a whole stage failed: kept for the record, never served


@dataclass(frozen=True)
class StageFailure:
    """A stage that failed as a whole, for infrastructure reasons, and why (one line)."""

    stage: Stage
    reason: str


@dataclass(frozen=True)
class Report:
    """Everything a check produced; rendered by ``present``."""

    article: Article
    summaries: dict[str, Summary]
    claims: tuple[ClaimResult, ...]
    panel: tuple[PanelMember, ...]
    warnings: tuple[str, ...] = ()
    check_id: str = ""
    quorum: int = 1
    cached: bool = False  # True when the report came from the store unchanged
    usage: Usage = field(default_factory=Usage)  # every call of this check, all stages
    cost_usd: float = 0.0  # what this answer cost: 0 for a stored report
    failed_stages: tuple[StageFailure, ...] = ()
    searches: tuple[SearchRecord, ...] = ()  # every search the evidence stage made

    @property
    def status(self) -> ReportStatus:
        """Complete when every stage answered; incomplete when a whole stage failed."""
        return ReportStatus.INCOMPLETE if self.failed_stages else ReportStatus.COMPLETE

    def failed(self, stage: Stage) -> StageFailure | None:
        """The failure of ``stage``, if it failed."""
        return next((f for f in self.failed_stages if f.stage is stage), None)


class ReviewAction(StrEnum):
    """What a moderator decided about a flagged claim."""

    ACCURATE = "accurate"
    INACCURATE = "inaccurate"
    NEEDS_CONTEXT = "needs-context"
    DISMISS = "dismiss"
    NOTE = "note"  # a note alone: recorded, does not replace the latest decision


@dataclass(frozen=True)
class Review:
    """One moderator's decision on one claim, as stored in the audit table."""

    claim_id: str
    guild_id: str
    moderator_id: str
    action: ReviewAction
    note: str
    decided_at: str


@dataclass(frozen=True)
class GuildSettings:
    """A server's settings; the defaults apply to a server that never set any."""

    guild_id: str
    languages: tuple[str, ...] = ()
    mod_channel_id: str | None = None
    mod_role_id: str | None = None
    flag_on: frozenset[Consensus] = frozenset(
        {Consensus.AGREED_REFUTED, Consensus.AGREED_MISLEADING})
    daily_budget_usd: float | None = None


@dataclass(frozen=True)
class Feed:
    """An RSS or Atom feed a server follows."""

    id: int
    guild_id: str
    url: str
    title: str
    check_claims: bool  # run the panel on new entries, not only summaries
    interval_minutes: int
    state: str  # "active" or "paused"
    failures: int  # in a row
    seeded: bool  # the first poll recorded what was there and posted nothing
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    last_success_at: str | None = None
    last_error: str | None = None
    next_poll_at: str | None = None


@dataclass(frozen=True)
class FeedEntry:
    """One entry seen in a feed and what became of it."""

    id: int
    title: str
    link: str | None
    first_seen_at: str
    # "seen" (in the feed when it was added: never posted), "pending", "ingested", "failed"
    # or "skipped"
    status: str
    error: str | None = None
    article_id: str | None = None
    digests: tuple[str, ...] = ()  # "subscription N (PERIOD)" of each digest that listed it


@dataclass(frozen=True)
class Subscription:
    """A channel's digest: which server's articles, when, in which languages."""

    id: int
    guild_id: str
    channel_id: str
    schedule: str  # hourly | daily@HH:MM | weekly@mon@HH:MM
    timezone: str
    languages: tuple[str, ...]
    post_empty: bool = False
    enabled: bool = True
    disabled_reason: str | None = None
    created_at: str = ""


@dataclass(frozen=True)
class DigestItem:
    """One article as a digest lists it."""

    article_id: str
    title: str
    url: str | None
    summaries: dict[str, str]  # language -> summary
    counts: dict[str, int]  # "agreed" / "disputed" / "abstained" -> claims
    decisions: dict[str, int]  # moderators' action -> claims
    disputed: tuple[str, ...]  # the disputed claims' texts
    checked: bool  # False: over budget, or a feed that only summarizes
    complete: bool = True  # False: a stage of the check failed (the line says so)
    sources: int = 0  # distinct evidence sources the article's claims were judged with


@dataclass(frozen=True)
class Digest:
    """What one subscription's digest for one period lists."""

    subscription: Subscription
    period: str
    items: tuple[DigestItem, ...]
