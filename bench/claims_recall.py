"""Recall of the offline claim candidates against the labelled corpus.

Usage: python bench/claims_recall.py [CLAIMS.json] [--verbose]

For every article named in CLAIMS.json (default tests/data/corpus/claims.json; the article
files sit beside it) it runs ``claim_candidates(text, language, limit=12)``, 12 being the
pipeline's default ``max_claims``, and counts a labelled claim as found when its verbatim
``quote`` lies inside one candidate, whitespace collapsed on both sides. It prints recall per
language and overall against the goal, and exits 0 whether the goal is met or not.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout

from figures import print_figures  # noqa: E402 - bench/ is the script folder

from bot.text.candidates import claim_candidates  # noqa: E402

LIMIT = 12
GOAL = 0.70
DEFAULT_CLAIMS = ROOT / "tests" / "data" / "corpus" / "claims.json"


def collapse(text: str) -> str:
    """Collapse every run of whitespace to one space, for layout-blind comparison."""
    return re.sub(r"\s+", " ", text).strip()


def measure(claims_path: Path, verbose: bool) -> dict[str, list[int]]:
    """Return {language: [found, total]} over the corpus; print misses when verbose."""
    labels = json.loads(claims_path.read_text(encoding="utf-8"))
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for name, article in labels["articles"].items():
        language = article["language"]
        text = (claims_path.parent / name).read_text(encoding="utf-8")
        candidates = [collapse(c) for c in claim_candidates(text, language, limit=LIMIT)]
        for claim in article["claims"]:
            quote = collapse(claim["quote"])
            found = any(quote in candidate for candidate in candidates)
            counts[language][0] += found
            counts[language][1] += 1
            if verbose and not found:
                print(f"  missed [{name}] {quote}")
    return counts


def main() -> int:
    """Print the recall table; always exit 0 (a benchmark reports, it does not gate)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("claims", nargs="?", type=Path, default=DEFAULT_CLAIMS)
    parser.add_argument("--verbose", action="store_true", help="list the claims not found")
    args = parser.parse_args()
    if not args.claims.is_file():
        print(f"no labelled claims at {args.claims}", file=sys.stderr)
        return 0
    started = time.perf_counter()
    counts = measure(args.claims, args.verbose)
    elapsed = (time.perf_counter() - started) * 1000
    print(f"claim-candidate recall, limit={LIMIT} per article ({args.claims})")
    print(f"{'language':<10}{'found':>7}{'total':>7}{'recall':>9}")
    for language in sorted(counts):
        found, total = counts[language]
        print(f"{language:<10}{found:>7}{total:>7}{found / total:>9.1%}")
    found = sum(pair[0] for pair in counts.values())
    total = sum(pair[1] for pair in counts.values())
    overall = found / total if total else 0.0
    print(f"{'overall':<10}{found:>7}{total:>7}{overall:>9.1%}")
    print(f"({elapsed:.1f} ms for the whole corpus)")
    print_figures([(f"recall {language}", f"{found / total:.1%}", "(shown)", None)
                   for language, (found, total) in sorted(counts.items())]
                  + [("recall overall", f"{overall:.1%}", f">= {GOAL:.0%}", overall >= GOAL)])
    return 0


if __name__ == "__main__":
    sys.exit(main())
