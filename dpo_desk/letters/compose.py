"""Letters from templates: Jinja2 with autoescape, and StrictUndefined so a template naming an unknown
field fails (in the tests) instead of printing a blank.

A letter template fills named blocks: ``style``, ``letterhead``, ``return_address``, ``address`` and ``info``
for the fixed parts of the first page, and ``page`` for the text that flows over the pages.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
from dataclasses import dataclass
from importlib.resources import files
from typing import TYPE_CHECKING, Any

from dpo_desk import paths
from dpo_desk.letters.kinds import LetterKind
from dpo_desk.letters.language import letter_language, letter_languages
from dpo_desk.letters.page import Document, FirstPage, Paper

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment
    from jinja2.bccache import Bucket

TEMPLATE_CACHE = "letter-templates"  # in the cache folder (dpo_desk.paths.cache_dir)


@functools.cache
def environment() -> Environment:
    """The templates' environment, made (and jinja2 loaded) when the first letter is composed. The templates
    are compiled once and kept in the cache folder: compiling the four a letter is made of took 20-30 ms of
    every process writing one."""
    import jinja2

    def load(name: str) -> str:
        try:
            return files("dpo_desk.letters").joinpath("templates", *name.split("/")).read_text(encoding="utf-8")
        except FileNotFoundError:
            raise jinja2.TemplateNotFound(name) from None

    options: dict[str, Any] = {
        "autoescape": True,
        "undefined": jinja2.StrictUndefined,
        "trim_blocks": True,
        "lstrip_blocks": True,
    }
    # A compiled template is found again by its name and the hash of its text; what else makes its code (these
    # options, Jinja's version) names the folder, so that a change to them compiles every template again.
    made_by = hashlib.sha256(f"{jinja2.__version__} {sorted(options.items())}".encode()).hexdigest()[:16]
    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load), bytecode_cache=_compiled_templates(made_by), **options
    )


def _compiled_templates(made_by: str) -> BytecodeCache | None:
    """The cache of compiled templates; None where its folder cannot be made (each process compiles them)."""
    from jinja2 import FileSystemBytecodeCache

    class CompiledTemplates(FileSystemBytecodeCache):
        def dump_bytecode(self, bucket: Bucket) -> None:
            with contextlib.suppress(OSError):  # its folder gone, or full: the next process compiles again
                super().dump_bytecode(bucket)

    folder = paths.cache_dir() / TEMPLATE_CACHE / made_by
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return None
    return CompiledTemplates(str(folder))


def load_templates() -> None:
    """Every template of every letter language, compiled (or read from the cache) ahead of the letters."""
    root = files("dpo_desk.letters").joinpath("templates")
    names = [entry.name for entry in root.iterdir() if entry.name.endswith(".j2")]
    for folder in (root.joinpath(code) for code in letter_languages()):
        names += [f"{folder.name}/{entry.name}" for entry in folder.iterdir() if entry.name.endswith(".j2")]
    templates = environment()
    for name in sorted(names):
        templates.get_template(name)


_PARTS = ("style", "letterhead", "return_address", "address", "info", "running_header", "page")


@dataclass(frozen=True, slots=True)
class ComposedLetter:
    kind: LetterKind
    lang: str
    title: str
    parts: dict[str, str]
    page_number: str  # "Page {number} of {count}", in the letter's language

    @property
    def text(self) -> str:
        """Everything the letter says, in reading order (for checks that look at the words, not the page)."""
        return "\n".join(self.parts[name] for name in ("letterhead", "address", "info", "page"))

    def document(self, paper: Paper, *, title: str, author: str) -> Document:
        parts = self.parts
        return Document(
            body=parts["page"],
            paper=paper,
            title=title,
            style=parts["style"],
            author=author,
            first_page=FirstPage(
                letterhead=parts["letterhead"],
                return_address=" ".join(parts["return_address"].split()),
                address=parts["address"],
                info=parts["info"],
            ),
            running_header=" ".join(parts["running_header"].split()),
            page_number=self.page_number,
        )


def compose(kind: LetterKind, context: dict[str, Any], lang: str) -> ComposedLetter:
    """The letter's parts; ``context`` comes from :meth:`dpo_desk.store.letters.LetterStore.context`, in the
    same language."""
    language = letter_language(lang)
    title = language.term("titles", kind.value)
    template = environment().get_template(f"{lang}/{kind.value}.html.j2")
    rendered = template.new_context(context | {"title": title})
    # Rendering the whole once runs the {% extends %} chain, which registers the parents' blocks; then the
    # most derived version of each block is rendered on its own (Jinja's Context.blocks).
    "".join(template.root_render_func(rendered))
    parts = {name: "".join(rendered.blocks[name][0](rendered)).strip() for name in _PARTS}
    return ComposedLetter(kind, lang, title, parts, language.term("labels", "page_number"))
