"""Structured-output helpers shared by the SDK providers (no vendor SDK imported here).

- :func:`strict_schema`: a pydantic model's JSON schema in the strict dialect that both the
  Anthropic ``output_config`` JSON schema and OpenAI's ``strict: true`` accept: every object
  closed (``additionalProperties: false``) with every property required, ``$ref`` inlined
  (local servers such as Ollama and vLLM handle inline schemas more reliably), and keywords
  the APIs refuse (``minimum``, ``default``, ``title``…) turned into description hints. The
  answer is still validated against the full pydantic model afterwards.
- :func:`answer_schema`: the one schema a provider sends for every task (see
  :class:`bot.schemas.Answer`), and :func:`narrow`: an answer cut down to the task's fields.
- :func:`complete_items`: what a cut answer (``max_tokens`` / ``length``) holds that arrived
  whole, parsed by pydantic's own partial JSON parser.
- :func:`repair_note`: the text added to a retry after an invalid answer.
- :func:`extract_json`: the JSON object inside a reply wrapped in prose or a code fence.
"""

from __future__ import annotations

import functools
import json
import re
import typing
from collections.abc import Sequence
from typing import Any

import pydantic_core
from pydantic import BaseModel, ValidationError

from bot.schemas import Answer

_KEPT = ("type", "description", "enum", "const")
_HINTED = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "minLength",
           "maxLength", "minItems", "maxItems", "pattern", "format")
_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL | re.IGNORECASE)


def strict_schema(model: type[BaseModel], map_keys: Sequence[str] = ()) -> dict[str, Any]:
    """The strict JSON schema of ``model``.

    A free-form mapping (``dict[str, str]``, e.g. a claim's translations) cannot be closed
    as it is, so it becomes an object whose properties are ``map_keys`` (the requested
    languages), all required: the model must then fill in every one of them.
    """
    raw = model.model_json_schema()
    defs = raw.pop("$defs", {})
    return _strict(raw, defs, tuple(map_keys), ())


def _strict(node: dict[str, Any], defs: dict[str, Any], keys: tuple[str, ...],
            seen: tuple[str, ...]) -> dict[str, Any]:
    if "$ref" in node:
        name = str(node["$ref"]).rsplit("/", 1)[-1]
        if name in seen:
            raise ValueError(f"schema {name} is recursive and cannot be inlined")
        # The referencing field's own description wins over the definition's docstring.
        merged = {**defs[name], **{k: v for k, v in node.items() if k != "$ref"}}
        return _strict(merged, defs, keys, (*seen, name))
    out: dict[str, Any] = {k: node[k] for k in _KEPT if k in node}
    hints = [f"{k}: {node[k]}" for k in _HINTED if k in node]
    if "items" in node:
        out["items"] = _strict(node["items"], defs, keys, seen)
    if "anyOf" in node:
        out["anyOf"] = [_strict(v, defs, keys, seen) for v in node["anyOf"]]
    if node.get("type") == "object":
        props = {k: _strict(v, defs, keys, seen) for k, v in node.get("properties", {}).items()}
        extra = node.get("additionalProperties")
        if not props and isinstance(extra, dict):  # an open map: its keys come per request
            value = _strict(extra, defs, keys, seen)
            props = {key: dict(value) for key in keys}
        out["properties"] = props
        out["required"] = list(props)
        out["additionalProperties"] = False
    if hints:
        described = out.get("description", "")
        out["description"] = f"{described} ({', '.join(hints)})".strip()
    return out


@functools.cache
def answer_schema() -> dict[str, Any]:
    """The strict schema of :class:`bot.schemas.Answer`: byte-identical for every task and
    every article, so it never breaks the cached prefix of a model's calls."""
    return strict_schema(Answer)


def narrow(text: str, schema: type[BaseModel]) -> str:
    """``text`` (a JSON answer in the :class:`Answer` shape) with only ``schema``'s fields
    kept; text that is not a JSON object is returned unchanged (validation deals with it)."""
    try:
        answer = json.loads(text)
    except ValueError:
        return text
    if not isinstance(answer, dict) or set(answer) <= set(schema.model_fields):
        return text
    kept = {k: v for k, v in answer.items() if k in schema.model_fields}
    return json.dumps(kept, ensure_ascii=False)


def complete_items(text: str, schema: type[BaseModel]) -> BaseModel | None:
    """The part of a cut answer that arrived whole, as ``schema``; None when nothing did.

    Each list field keeps the items that validate on their own, except the last one the
    text holds: the cut may have fallen inside it (a verdict whose evidence list was cut
    would still validate, with sources missing), so it is left to be asked for again.
    """
    try:
        data = pydantic_core.from_json(text, allow_partial=True)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    found: dict[str, Any] = {}
    for name, field in schema.model_fields.items():
        value = data.get(name)
        item_type = _list_item(field.annotation)
        if item_type is None or not isinstance(value, list):
            if name in data:
                found[name] = value
            continue
        kept = []
        for item in value[:-1]:
            try:
                kept.append(item_type.model_validate(item))
            except ValidationError:
                continue
        found[name] = kept
    try:
        output = schema.model_validate(found)
    except ValidationError:
        return None
    whole = [v for v in found.values() if isinstance(v, list) and v]
    return output if whole else None


def _list_item(annotation: Any) -> type[BaseModel] | None:
    if typing.get_origin(annotation) is not list:
        return None
    (item,) = typing.get_args(annotation)
    return item if isinstance(item, type) and issubclass(item, BaseModel) else None


def repair_note(repair: str) -> str:
    """What the retry after an invalid answer adds to the prompt."""
    return f"Your previous answer was invalid: {repair}. Answer again with JSON only."


def extract_json(text: str) -> str:
    """The JSON object in ``text``: as is when it already starts with ``{``, else the content
    of a code fence, else the span from the first ``{`` to the last ``}``."""
    stripped = text.strip()
    if stripped.startswith("{"):
        return stripped
    fenced = _FENCE.search(stripped)
    if fenced:
        return fenced.group(1).strip()
    start, end = stripped.find("{"), stripped.rfind("}")
    return stripped[start:end + 1] if 0 <= start < end else stripped
