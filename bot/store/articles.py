"""Articles and finished checks: stored in one transaction, read back as a Report."""

from __future__ import annotations

import json

from bot.records import (
    Article,
    Claim,
    ClaimResult,
    Consensus,
    Evidence,
    Language,
    MemberStatus,
    PanelMember,
    Passage,
    Report,
    ReportStatus,
    Review,
    ReviewAction,
    SearchRecord,
    Stage,
    StageFailure,
    Summary,
    Usage,
    Verdict,
    Vote,
)
from bot.store import insert_rows, now
from bot.store.connection import Db, insert_ignore


def latest_review(db: Db, claim_id: str, guild_id: str | None = None) -> Review | None:
    """The latest moderators' decision on a claim (notes aside): in one server when it is
    named — a server sees only its own moderators' decisions — else in any (the CLI)."""
    sql, params = "select * from reviews where claim_id = ? and action != 'note'", [claim_id]
    if guild_id is not None:
        sql, params = sql + " and guild_id = ?", [claim_id, guild_id]
    rows = list(db.query(sql + " order by id desc limit 1", params))
    if not rows:
        return None
    r = rows[0]
    return Review(r["claim_id"], r["guild_id"], r["moderator_id"], ReviewAction(r["action"]),
                  r["note"] or "", r["decided_at"])


def find_article(db: Db, sha256: str, canonical_url: str | None = None) -> Article | None:
    """The stored article with this fingerprint (or, failing that, this canonical URL)."""
    rows = list(db.query("select * from articles where sha256 = ?", [sha256]))
    if not rows and canonical_url:
        rows = list(db.query(
            "select * from articles where canonical_url = ? order by created_at desc limit 1",
            [canonical_url]))
    return _article(rows[0]) if rows else None


def get_article(db: Db, article_id: str) -> Article | None:
    """The stored article with this id."""
    rows = list(db.query("select * from articles where id = ?", [article_id]))
    return _article(rows[0]) if rows else None


def save_article(db: Db, article: Article) -> None:
    """Store an article without a check (a feed entry over the server's budget)."""
    with db.atomic():
        _insert_article(db, article)


def article_row(db: Db, article_id: str) -> dict:
    """An article's title, source and link (for listing it without its text)."""
    return next(db.query("select title, source, canonical_url from articles where id = ?",
                         [article_id]))


def latest_check(db: Db, article_id: str, guild_id: str | None = None) -> Report | None:
    """The article's most recent complete check of any kind, else its most recent
    incomplete one (a digest shows whatever exists, and says when it is incomplete)."""
    checks = list(db.query("select * from checks where article_id = ? "
                           "order by status = 'complete' desc, created_at desc, rowid desc "
                           "limit 1", [article_id]))
    return _report_of(db, checks[0], guild_id) if checks else None


def _insert_article(db: Db, a: Article) -> None:
    # Once, even when two writers store the same article at the same moment.
    insert_ignore(db, "articles", {
        "id": a.id, "sha256": a.sha256, "canonical_url": a.canonical_url,
        "source": a.source, "title": a.title, "language": a.language.code,
        "language_confidence": a.language.confidence, "author": a.author,
        "published": a.published, "text": a.text, "chars": a.chars, "created_at": now(),
    })


def save_report(db: Db, report: Report, request_key: str,
                guild_id: str | None = None, fresh: bool = False) -> str:
    """Store the article (once) and everything the check produced, atomically.

    Returns the id of the check that stands. Unless ``fresh`` (a new check asked for on
    purpose), a check of the same article and request that another process stored meanwhile
    stands instead, and nothing is written: two processes checking one text at the same moment
    store one check. The write transaction and the lock on (article, request) make the look
    and the insert one step, on either database.
    """
    a = report.article
    with db.atomic():
        db.lock("check", a.id, request_key)
        if (not fresh and report.status is ReportStatus.COMPLETE
                and (stored := _latest_check_row(db, a.id, request_key)) is not None):
            return stored["id"]
        _insert_article(db, a)
        insert_rows(db, "checks", [{
            "id": report.check_id, "article_id": a.id, "request_key": request_key,
            "languages": json.dumps(list(report.summaries)),
            "panel": json.dumps([_member_json(m) for m in report.panel]),
            "quorum": report.quorum, "warnings": json.dumps(list(report.warnings)),
            "created_at": now(), "guild_id": guild_id, "status": report.status.value,
            "failed_stages": json.dumps([{"stage": f.stage.value, "reason": f.reason}
                                         for f in report.failed_stages]),
            "searches": json.dumps([s.__dict__ for s in report.searches], ensure_ascii=False),
        }])
        insert_rows(db, "summaries", (
            {"check_id": report.check_id, "language": s.language, "text": s.text,
             "model": s.model, "note": s.note, "prompt_sha256": s.prompt_sha256}
            for s in report.summaries.values()
        ))
        insert_rows(db, "claims", (
            {"id": r.claim.id, "check_id": report.check_id, "position": r.claim.position,
             "text": r.claim.text, "quote": r.claim.quote,
             "translations": json.dumps(r.claim.translations, ensure_ascii=False),
             "evidence": json.dumps([p.__dict__ for p in r.evidence], ensure_ascii=False),
             "consensus": r.consensus.value, "flagged": int(r.flagged),
             "prompt_sha256": r.claim.prompt_sha256}
            for r in report.claims
        ))
        insert_rows(db, "verdicts", (
            {"claim_id": v.claim_id, "model": v.model, "verdict": v.verdict.value,
             "confidence": v.confidence, "rationale": v.rationale,
             "evidence": json.dumps([e.__dict__ for e in v.evidence], ensure_ascii=False),
             "prompt_sha256": v.prompt_sha256, "cites": json.dumps(list(v.cites))}
            for r in report.claims for v in r.votes
        ))
    return report.check_id


def load_report(db: Db, article_id: str, request_key: str,
                guild_id: str | None = None) -> Report | None:
    """The latest complete check of this article made with the same request, if any.

    An incomplete check is kept for the record but never served as the stored answer.
    """
    check = _latest_check_row(db, article_id, request_key)
    return _report_of(db, check, guild_id) if check is not None else None


def load_unfinished(db: Db, article_id: str, request_key: str) -> Report | None:
    """The latest check of this request when it is incomplete (none complete since): the
    stages it answered can be kept by the next check."""
    rows = list(db.query(
        "select * from checks where article_id = ? and request_key = ? "
        "order by created_at desc, rowid desc limit 1", [article_id, request_key]))
    if not rows or rows[0]["status"] != ReportStatus.INCOMPLETE.value:
        return None
    return _report_of(db, rows[0])


def _latest_check_row(db: Db, article_id: str, request_key: str) -> dict | None:
    rows = list(db.query(
        "select * from checks where article_id = ? and request_key = ? and status = ? "
        "order by created_at desc, rowid desc limit 1",
        [article_id, request_key, ReportStatus.COMPLETE.value]))
    return rows[0] if rows else None


def load_check(db: Db, check_id: str, guild_id: str | None = None) -> Report | None:
    """The stored report of one check, by its id (with that server's decisions)."""
    checks = list(db.query("select * from checks where id = ?", [check_id]))
    return _report_of(db, checks[0], guild_id) if checks else None


def _report_of(db: Db, check: dict, guild_id: str | None = None) -> Report:
    article_id = check["article_id"]
    article = _article(next(db.query("select * from articles where id = ?", [article_id])))
    summaries = {
        row["language"]: Summary(row["language"], row["text"], row["model"], row["note"],
                                 row["prompt_sha256"] or "")
        for row in db.query("select * from summaries where check_id = ? order by id", [check["id"]])
    }
    results = []
    for row in db.query("select * from claims where check_id = ? order by position",
                        [check["id"]]):
        claim = Claim(row["id"], row["position"], row["text"], row["quote"],
                      json.loads(row["translations"] or "{}"), row["prompt_sha256"] or "")
        votes = tuple(
            Vote(claim.id, v["model"], Verdict(v["verdict"]), v["confidence"], v["rationale"],
                 tuple(Evidence(**e) for e in json.loads(v["evidence"] or "[]")),
                 v["prompt_sha256"] or "", tuple(json.loads(v["cites"] or "[]")))
            for v in db.query("select * from verdicts where claim_id = ? order by id", [claim.id])
        )
        passages = tuple(Passage(**p) for p in json.loads(row["evidence"] or "[]"))
        results.append(ClaimResult(claim, votes, Consensus(row["consensus"]), bool(row["flagged"]),
                                   latest_review(db, claim.id, guild_id), passages))
    panel = tuple(_member(m) for m in json.loads(check["panel"]))
    failed = tuple(StageFailure(Stage(f["stage"]), f["reason"])
                   for f in json.loads(check["failed_stages"] or "[]"))
    return Report(article, summaries, tuple(results), panel, tuple(json.loads(check["warnings"])),
                  check_id=check["id"], quorum=check["quorum"], cached=True,
                  failed_stages=failed,
                  searches=tuple(SearchRecord(**x) for x in json.loads(check["searches"] or "[]")))


def _member_json(m: PanelMember) -> dict[str, object]:
    return {"name": m.name, "provider": m.provider, "model": m.model, "status": m.status.value,
            "reason": m.reason, "escalation": m.escalation, "latency_ms": m.latency_ms,
            "usage": m.usage.__dict__}


def _member(m: dict) -> PanelMember:
    status, reason = m["status"], m.get("reason")
    if status.startswith("error: "):  # stored before statuses had their own reason field
        status, reason = MemberStatus.ERROR.value, status.removeprefix("error: ")
    return PanelMember(m["name"], m["provider"], m["model"], MemberStatus(status),
                       m["latency_ms"], Usage(**m["usage"]), reason,
                       bool(m.get("escalation", False)))


def _article(row: dict) -> Article:
    return Article(
        id=row["id"], sha256=row["sha256"], text=row["text"], title=row["title"] or "",
        language=Language(row["language"], row["language_confidence"] or 0.0),
        source=row["source"], canonical_url=row["canonical_url"], author=row["author"],
        published=row["published"],
    )
