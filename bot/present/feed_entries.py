"""What became of a feed's entries, in words: one line per entry and one for its outcome."""

from __future__ import annotations

from bot.records import FeedEntry
from bot.store.feeds import EntryStatus

STATUS_WIDTH = max(len(s.value) for s in EntryStatus)  # the statuses line up in a column


def entry_line(entry: FeedEntry) -> str:
    """When it was seen, its status, its title and its link."""
    return (f"{entry.first_seen_at}  {entry.status:<{STATUS_WIDTH}}  "
            f"{entry.title or '(no title)'}  {entry.link or ''}").rstrip()


def entry_outcome(entry: FeedEntry) -> str:
    """Why the entry was posted or not: the digests that listed it, or the reason."""
    if entry.status == EntryStatus.SEEN:
        return "in the feed when it was added: remembered, never posted"
    if entry.status == EntryStatus.PENDING:
        return "waiting to be fetched (the next poll picks it up)"
    if entry.status == EntryStatus.QUEUED:
        return "handed to a worker: being fetched and checked"
    if entry.status in (EntryStatus.FAILED, EntryStatus.SKIPPED):
        return f"not posted: {entry.error or 'no reason recorded'}"
    if entry.status == EntryStatus.INCOMPLETE:
        return (f"article {entry.article_id}, held from digests until its check is complete: "
                f"{entry.error or 'check incomplete'}")
    listed = ("listed in the digest of " + "; ".join(entry.digests) if entry.digests
              else "not listed in a digest yet")
    kept = f" ({entry.error})" if entry.error else ""  # e.g. its check's tries spent
    return f"article {entry.article_id}{kept}, {listed}"
