"""The README's layout map stays true: it names every folder and module of the package and every top-level
folder of the repository, and names nothing that is not there."""

import re
from pathlib import Path

import dpo_desk

PACKAGE = Path(dpo_desk.__file__).parent
REPOSITORY = PACKAGE.parent
# What the map leaves out on purpose: the package marker and the `python -m dpo_desk` stub.
UNMAPPED = {"__init__.py", "__main__.py"}


def layout_map() -> str:
    readme = (REPOSITORY / "README.md").read_text(encoding="utf-8")
    section = readme.split("## How the code is laid out", 1)[1]
    return section.split("```", 2)[1]


def mapped_names(indent: str) -> set[str]:
    """The first word of each map line indented by exactly `indent` (a continuation line is indented further)."""
    return {match.group(1) for match in re.finditer(rf"^{indent}(\S+)", layout_map(), re.MULTILINE)}


def test_the_map_names_every_part_of_the_package() -> None:
    parts = {
        path.name + ("/" if path.is_dir() else "")
        for path in PACKAGE.iterdir()
        if path.name not in UNMAPPED and path.name != "__pycache__" and (path.is_dir() or path.suffix == ".py")
    }
    assert {"core/", "store/", "gui/", "resources/", "cli.py"} <= parts
    assert mapped_names("  ") == parts


def test_the_map_names_only_what_the_repository_holds() -> None:
    top_level = mapped_names("") - {"dpo_desk/"}
    assert top_level, "the map names no top-level folder"
    missing = {name for name in top_level if not (REPOSITORY / name.rstrip("/")).exists()}
    assert not missing
