"""The register's sources in a letter's language, from ``templates/<lang>/register.toml`` (by source key).

The register is written in English, and the DPO may edit it. A translation says which English text it
translates (its ``translates`` fingerprint), and is used only while the register still holds that text: a
source edited since prints as the register holds it until its translation is updated, so a letter never
states a purpose or a period the register no longer states.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import tomllib
from importlib.resources import files
from typing import Any

from dpo_desk.letters.context import SourceText
from dpo_desk.letters.language import ENGLISH

REGISTER_TEXTS = "register.toml"


def fingerprint(source: SourceText) -> str:
    """Of the English text a letter prints of ``source``: 12 hex digits of its SHA-256."""
    text = [source.name, source.description, source.retention, source.data_categories, source.purposes,
            source.legal_bases]  # fmt: skip
    return hashlib.sha256(json.dumps(text, ensure_ascii=False).encode()).hexdigest()[:12]


def in_language(source: SourceText, lang: str) -> SourceText:
    """``source`` as a letter in ``lang`` prints it: translated where the translation is of its current text."""
    found = _translations(lang).get(source.key)
    if found is None or found.get("translates") != fingerprint(source):
        return source
    return dataclasses.replace(
        source,
        name=found["name"],
        description=found["description"],
        retention=found["retention"],
        data_categories=tuple(found["data_categories"]),
        purposes=tuple(found["purposes"]),
        legal_bases=tuple(found["legal_bases"]),
    )


@functools.cache
def _translations(lang: str) -> dict[str, Any]:
    if lang == ENGLISH:
        return {}
    path = files("dpo_desk.letters").joinpath("templates", lang, REGISTER_TEXTS)
    return tomllib.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
