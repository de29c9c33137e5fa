"""Letters from templates: Jinja2 with autoescape, and StrictUndefined so a template naming an unknown
field fails (in the tests) instead of printing a blank."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from typing import Any

from jinja2 import Environment, FunctionLoader, StrictUndefined, TemplateNotFound

from dpo_desk.core.errors import InputError
from dpo_desk.letters.kinds import LANGUAGES, LetterKind


def _load(name: str) -> str:
    try:
        return files("dpo_desk.letters").joinpath("templates", *name.split("/")).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TemplateNotFound(name) from None


_ENVIRONMENT = Environment(
    loader=FunctionLoader(_load), autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True
)


@dataclass(frozen=True, slots=True)
class ComposedLetter:
    kind: LetterKind
    lang: str
    title: str
    html: str


def compose(kind: LetterKind, context: dict[str, Any], lang: str = "en") -> ComposedLetter:
    """The letter's HTML; ``context`` comes from :meth:`dpo_desk.store.letters.LetterStore.context`."""
    if lang not in LANGUAGES:
        raise InputError(f"lang: no letters in {lang!r} yet; available: {', '.join(LANGUAGES)}")
    template = _ENVIRONMENT.get_template(f"{lang}/{kind.value}.html.j2")
    return ComposedLetter(kind, lang, kind.heading, template.render(context | {"title": kind.heading}))
