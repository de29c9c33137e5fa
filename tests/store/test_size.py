"""The store's size per table and index, from its pages (the SQLCipher build has no dbstat)."""

from pathlib import Path

import pytest

from dpo_desk.application.demo import create_demo_store
from dpo_desk.cli import main
from dpo_desk.store.db import open_store
from dpo_desk.store.size import measure
from tests.conftest import NOW, TEST_KEY


def test_every_page_belongs_to_a_b_tree_or_the_free_list(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite"
    create_demo_store(path, TEST_KEY, cases=40, seed=4, now=NOW)
    with open_store(path, TEST_KEY) as db:
        db.execute("INSERT INTO notes (case_id, at, author, text) VALUES (1, 'x', 'dpo', 'in the -wal')")
        # Cells too big for a page: their overflow pages count, in a table and in an index's interior pages.
        db.execute("CREATE INDEX notes_by_text ON notes (text)")
        for length in (300, 3_000, 30_000, 300_000):
            db.execute("INSERT INTO notes (case_id, at, author, text) VALUES (1, 'x', 'dpo', ?)", ["n" * length])
        assert path.with_name(path.name + "-wal").stat().st_size > 0  # pages there are read too
        size = measure(db, path, TEST_KEY)
        assert sum(tree.pages for tree in size.trees) + size.free_pages == size.pages
        trees = {tree.name: tree for tree in size.trees}
        assert trees["cases"].cells == 40 and trees["cases"].kind == "table"
        assert trees["audit"].cells == db.execute("SELECT count(*) FROM audit").fetchone()[0]
        case_entries = db.execute("SELECT count(*) FROM audit WHERE entity = 'case'").fetchone()[0]
        assert trees["audit_by_case"].cells == case_entries and trees["audit_by_case"].table == "audit"
        assert trees["notes"].cells == 5 and trees["notes"].overflow_pages > 73  # 300,000 bytes
        assert trees["notes"].payload > 333_300 and trees["notes_by_text"].overflow_pages > 0
        assert trees["case_search_data"].table == "case_search" and trees["case_search_data"].kind == "fts"


def test_the_command_line_reports_bytes_per_case(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    store = tmp_path / "store.sqlite"
    assert main(["--store", str(store), "demo", "--cases", "25"]) == 0
    capsys.readouterr()
    assert main(["--store", str(store), "store-size"]) == 0
    out = capsys.readouterr().out
    assert "25 cases" in out and "bytes a case" in out
    assert any(line.startswith("audit ") for line in out.splitlines())
