"""The wording of the prompts that something other than a model relies on, in one place.

The loopback model servers of the tests read requests the way a model would, but they need
landmarks: which task is asked (the prompt's ``Return JSON:`` line), which languages, how
many claims at most, and the numbered claims. Those landmarks are these patterns, and the
fakes import them; a test renders every prompt and checks that each pattern finds what it
should, so editing a prompt's wording fails there, loudly, instead of silently changing
what the fakes answer in unrelated tests. (The article block is :data:`bot.prompts.ARTICLE_BLOCK`.)
"""

from __future__ import annotations

import re

# The answer's shape, last line of every task prompt: names the task's top-level key.
TASK_LINE = re.compile(r'^Return JSON: \{"(?P<task>summaries|claims|verdicts)"', re.MULTILINE)
# "... in these languages: en, fr." (summaries and claims): the requested language codes.
LANGUAGES = re.compile(r"these languages: (?P<languages>[^\n]+?)\.?\s*$", re.MULTILINE)
# "at most 12" (claims): the most claims to list.
MAX_CLAIMS = re.compile(r"at most (?P<count>\d+)")
# The verification prompt's heading before the numbered claims, and one numbered claim.
CLAIMS_HEADING = "Claims:"
NUMBERED_CLAIM = re.compile(r"^(?P<number>\d+)\. (?P<claim>.+)$", re.MULTILINE)
