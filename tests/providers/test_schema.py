"""Strict schemas, JSON extraction and the retry policy's pure parts."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from pydantic import BaseModel, Field

from bot.providers.http_faults import (
    RetryPolicy,
    SDKErrors,
    _delay,
    _retry_after,
    reason,
    scrub,
    status_reason,
)
from bot.providers.schema import (
    answer_schema,
    complete_items,
    extract_json,
    narrow,
    repair_note,
    strict_schema,
)
from bot.schemas import ClaimItem, ClaimsOutput, SummaryOutput, VerifyOutput
from tests.fakes.llm_server import strict_problem


@pytest.mark.parametrize("model", [SummaryOutput, ClaimsOutput, VerifyOutput])
def test_every_task_schema_is_strict_and_inlined(model):
    schema = strict_schema(model, map_keys=("en", "de"))
    assert strict_problem(schema) is None
    assert "$ref" not in str(schema) and "$defs" not in schema


def test_translations_are_asked_as_pairs_and_kept_as_a_map():
    # A closed schema without per-request keys: the same schema for every set of languages.
    item = strict_schema(ClaimsOutput)["properties"]["claims"]["items"]
    translations = item["properties"]["translations"]
    assert translations["type"] == "array"
    assert translations["items"]["required"] == ["language", "text"]
    claim = ClaimItem.model_validate({"text": "t", "quote": "q", "translations": [
        {"language": "pt-BR", "text": "a"}, {"language": "en", "text": "b"}]})
    assert claim.translations == {"pt-BR": "a", "en": "b"}
    assert ClaimItem.model_validate({"text": "t", "quote": "q",
                                     "translations": {"en": "b"}}).translations == {"en": "b"}


def test_one_schema_for_every_task():
    schema = answer_schema()
    assert strict_problem(schema) is None
    assert schema["required"] == ["summaries", "claims", "verdicts"]
    assert answer_schema() is schema  # built once: byte-identical in every request


def test_narrow_keeps_the_tasks_fields():
    both = '{"summaries": [], "claims": [], "verdicts": [{"x": 1}]}'
    assert narrow(both, VerifyOutput) == '{"verdicts": [{"x": 1}]}'
    assert narrow("not json", VerifyOutput) == "not json"
    assert narrow('{"verdicts": []}', VerifyOutput) == '{"verdicts": []}'


def test_complete_items_keep_what_arrived_whole():
    whole = {"claim": 1, "verdict": "supported", "confidence": 0.9, "rationale": "r",
             "evidence": [{"url": "https://a.example", "title": "", "quote": ""}]}
    text = json.dumps({"verdicts": [whole, {**whole, "claim": 2}, {**whole, "claim": 3}]})
    # Cut inside the third verdict's evidence: it would validate with its source lost.
    cut = text[: text.rindex("https://a.example")]
    kept = complete_items(cut, VerifyOutput)
    assert kept is not None and [v.claim for v in kept.verdicts] == [1, 2]
    assert complete_items('{"verdicts": [{"claim": 1, "verd', VerifyOutput) is None
    assert complete_items("<html>", VerifyOutput) is None
    claims = complete_items('{"claims": [{"text": "a", "quote": "a", "translations": []}, '
                            '{"text": "b", "quo', ClaimsOutput)
    assert claims is not None and [c.text for c in claims.claims] == ["a"]


def test_unsupported_keywords_become_hints_and_defaults_become_required():
    verdict = strict_schema(VerifyOutput)["properties"]["verdicts"]["items"]
    confidence = verdict["properties"]["confidence"]
    assert "minimum" not in confidence and "(minimum: 0.0, maximum: 1.0)" in confidence[
        "description"]
    assert "evidence" in verdict["required"]
    assert verdict["properties"]["verdict"]["enum"] == ["supported", "refuted", "misleading",
                                                        "uncertain"]


def test_recursive_schemas_are_refused():
    class Node(BaseModel):
        children: list[Node] = Field(default_factory=list)

    with pytest.raises(ValueError, match="recursive"):
        strict_schema(Node)


@pytest.mark.parametrize(("text", "expected"), [
    ('{"a": 1}', '{"a": 1}'),
    ('  {"a": 1}\n', '{"a": 1}'),
    ('Here it is:\n```json\n{"a": 1}\n```\nDone.', '{"a": 1}'),
    ('Sure! {"a": {"b": 2}} Hope that helps.', '{"a": {"b": 2}}'),
    ("no json at all", "no json at all"),
])
def test_extract_json(text, expected):
    assert extract_json(text) == expected


def test_repair_note():
    assert repair_note("verdicts.0: bad") == (
        "Your previous answer was invalid: verdicts.0: bad. Answer again with JSON only.")


class _Status(Exception):
    def __init__(self, status, headers=None, body=None):
        super().__init__("status")
        self.status_code, self.body = status, body
        self.response = SimpleNamespace(headers=headers or {})


class _Connection(Exception):
    pass


class _Timeout(_Connection):
    pass


ERRORS = SDKErrors(_Status, _Timeout, _Connection, ValueError)
POLICY = RetryPolicy(base_delay=0.5, max_delay=8.0, max_retry_after=20.0)


def test_reasons_are_short_and_masked():
    assert status_reason(529) == "overloaded (529)"
    assert status_reason(418) == "HTTP error (418)"
    assert reason(_Timeout(), ERRORS) == "timed out"
    assert reason(_Connection(), ERRORS) == "unreachable"
    body = {"error": {"message": "max_tokens too large for sk-123"}}
    assert reason(_Status(400, body=body), ERRORS, "sk-123") == (
        "request rejected (400): max_tokens too large for ***")
    assert reason(_Status(401, body=body), ERRORS, "sk-123") == "key refused (401)"
    assert scrub("a sk-1 b", None) == "a sk-1 b"


def test_delays():
    assert _delay(_Status(400), ERRORS, POLICY, 0) == (None, "")
    assert _delay(_Status(429, {"retry-after": "2"}), ERRORS, POLICY, 0) == (2.0, "")
    assert _delay(_Status(429, {"retry-after": "200"}), ERRORS, POLICY, 0) == (
        None, "; the server asks to wait 200 s")
    assert _delay(_Status(500, {"x-should-retry": "false"}), ERRORS, POLICY, 0)[0] is None
    backoff, _ = _delay(_Status(529), ERRORS, POLICY, 1)
    assert backoff is not None and 0.75 <= backoff <= 1.0
    assert _delay(_Connection(), ERRORS, POLICY, 5)[0] <= 8.0


def test_retry_after_forms():
    assert _retry_after({"retry-after-ms": "250"}) == 0.25
    assert _retry_after({"retry-after": "1.5"}) == 1.5
    assert _retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) < 0
    assert _retry_after({"retry-after": "soon"}) is None
    assert _retry_after({}) is None
