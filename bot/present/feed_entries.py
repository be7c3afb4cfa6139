"""What became of a feed's entries, in words: one line per entry and one for its outcome."""

from __future__ import annotations

from bot.records import FeedEntry


def entry_line(entry: FeedEntry) -> str:
    """When it was seen, its status, its title and its link."""
    return (f"{entry.first_seen_at}  {entry.status:<8}  {entry.title or '(no title)'}"
            f"  {entry.link or ''}").rstrip()


def entry_outcome(entry: FeedEntry) -> str:
    """Why the entry was posted or not: the digests that listed it, or the reason."""
    if entry.status == "seen":
        return "in the feed when it was added: remembered, never posted"
    if entry.status == "pending":
        return "waiting to be fetched (the next poll picks it up)"
    if entry.status in ("failed", "skipped"):
        return f"not posted: {entry.error or 'no reason recorded'}"
    listed = ("listed in the digest of " + "; ".join(entry.digests) if entry.digests
              else "not listed in a digest yet")
    return f"article {entry.article_id}, {listed}"
