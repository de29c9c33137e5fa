"""The search index keeps the words of the cases' text, not a copy of the text (migration 0019): its triggers
keep it in step through every change, an erased case's words leave it, and verify sees an index that is not
the words of the text."""

from datetime import UTC, date, datetime

from sqlite_utils import Database

from dpo_desk.core.models import CaseQuery
from dpo_desk.store.cases import CaseRepository
from dpo_desk.store.migrations import migrations
from dpo_desk.store.register import Register
from dpo_desk.store.retention import anonymise, purge
from dpo_desk.store.settings import StoreSettings
from dpo_desk.store.verify import verify
from tests.conftest import NOW, new_case

TODAY = date(2026, 11, 29)


def words(db: Database, case_id: int) -> list[tuple[str, str]]:
    """Every word the index holds for the case, with its column, as the index itself lists them."""
    db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_words USING fts5vocab(main, case_search, 'instance')")
    return db.execute(
        "SELECT term, col FROM temp.search_words WHERE doc = ? ORDER BY col, offset", (case_id,)
    ).fetchall()


def indexed_as_text(db: Database) -> None:
    """The index holds exactly the words of the text it is read from: FTS5's own comparison of the two."""
    db.execute("INSERT INTO case_search (case_search, rank) VALUES ('integrity-check', 1)")


def found(repo: CaseRepository, text: str) -> set[int]:
    return set(repo.find_ids(CaseQuery(text=text), today=TODAY))


def test_the_index_stores_no_copy_of_the_text(db: Database) -> None:
    tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE name LIKE 'case_search%'")}
    assert "case_search_content" not in tables and "case_search_text" in tables


def test_every_change_keeps_the_index_the_words_of_the_text(repo: CaseRepository, db: Database) -> None:
    first = repo.add(new_case(name="Kari Nordmann", emails=("kari@example.no", "k.n@example.no")), actor="d", now=NOW)
    second = repo.add(new_case(name="Other Person", text="ignored"), actor="d", now=NOW, same_subject_as=first)
    indexed_as_text(db)
    subject = db.execute("SELECT subject_id FROM cases WHERE id = ?", (first,)).fetchone()[0]
    db.execute("UPDATE subjects SET name = 'Kari Renamed' WHERE id = ?", (subject,))
    add_email = "INSERT OR IGNORE INTO subject_emails (subject_id, email, email_key) VALUES (?, ?, 'new')"
    db.execute(add_email, (subject, "new@example.no"))
    db.execute(add_email, (subject, "NEW@x"))  # ignored: the subject has that address
    db.execute("DELETE FROM subject_emails WHERE email = 'kari@example.no'")
    db.execute("UPDATE subject_emails SET email = 'edited@example.no', email_key = 'edited' WHERE email_key = 'new'")
    db.execute("UPDATE cases SET request_text = 'Rewritten request', reference = 'DSR-X' WHERE id = ?", (first,))
    indexed_as_text(db)
    assert found(repo, "renamed") == {first, second} and found(repo, "nordmann") == set()
    assert found(repo, "edited") == {first, second} and ("kari", "emails") not in words(db, first)
    assert found(repo, "rewritten") == {first} and found(repo, "DSR-X") == {first}
    assert ("edited", "emails") in words(db, second) and ("new", "emails") not in words(db, second)
    db.execute("DELETE FROM cases WHERE id = ?", (second,))
    indexed_as_text(db)
    assert words(db, second) == [] and found(repo, "renamed") == {first}
    assert verify(db).integrity == []


def test_erasure_leaves_no_word_of_the_case_in_the_index(repo: CaseRepository, db: Database) -> None:
    purged = repo.add(new_case(name="Qzxwvj Purged", emails=("qzxwvj@example.no",), text="erase Qzxwvj"),
                      actor="d", now=datetime(2022, 1, 3, tzinfo=UTC))  # fmt: skip
    anonymised = repo.add(new_case(name="Vbnmxq Kept", emails=("vbnmxq@example.no",), text="about Vbnmxq"),
                          actor="d", now=datetime(2022, 1, 3, tzinfo=UTC))  # fmt: skip
    for case_id in (purged, anonymised):
        db.execute("UPDATE cases SET status = 'withdrawn' WHERE id = ?", (case_id,))
        db.execute(
            "INSERT INTO case_events (case_id, at, actor, action, from_status, to_status) VALUES"
            " (?, '2022-01-04T00:00:00Z', 'd', 'status', 'received', 'withdrawn')",
            (case_id,),
        )
    purge(db, [purged], today=TODAY, months=36, actor="dpo", now=NOW)
    anonymise(db, [anonymised], today=TODAY, months=36, actor="dpo", now=NOW)
    db.execute("CREATE VIRTUAL TABLE temp.search_terms USING fts5vocab(main, case_search, 'row')")
    terms = {row[0] for row in db.execute("SELECT term FROM temp.search_terms")}
    assert not terms & {"qzxwvj", "purged", "erase", "vbnmxq", "kept", "about"}, terms
    assert words(db, purged) == [] and ("anonymised", "subject_name") in words(db, anonymised)
    indexed_as_text(db)


def test_verify_sees_an_index_that_is_not_the_words_of_the_text(repo: CaseRepository, db: Database) -> None:
    case_id = repo.add(new_case(name="Kari Nordmann"), actor="d", now=NOW)
    assert verify(db).integrity == []
    db.execute("DROP TRIGGER cases_search_update")  # a change the index is not told of
    db.execute("UPDATE cases SET request_text = 'changed behind the index' WHERE id = ?", (case_id,))
    assert any("search index" in problem for problem in verify(db).integrity)


def test_verify_sees_a_case_missing_from_the_index(repo: CaseRepository, db: Database) -> None:
    case_id = repo.add(new_case(name="Kari Nordmann"), actor="d", now=NOW)
    db.execute(
        "INSERT INTO case_search (case_search, rowid, reference, subject_name, emails, request_text)"
        " SELECT 'delete', id, reference, subject_name, emails, request_text FROM case_search_text WHERE id = ?",
        (case_id,),
    )
    assert found(repo, "nordmann") == set()
    assert any("search index" in problem for problem in verify(db).integrity)


def test_migration_0019_keeps_what_every_search_finds() -> None:
    db = Database(memory=True)
    migrations.apply(db, stop_before="0019_search_without_copy")
    repo = CaseRepository(db, Register(db), StoreSettings(db))
    names = ("Ola Nordmann", "Kari Nordmann", "Maija Meikäläinen", "Jan Kowalski")
    for name in names:
        repo.add(new_case(name=name, emails=(f"{name.split()[0].lower()}@example.com",), text=f"from {name}"),
                 actor="d", now=NOW)  # fmt: skip
    queries = ("nordmann", "meikalainen", "kari@example", "DSR-2026-0003", "from", "jan kow", "nobody")
    before = {text: found(repo, text) for text in queries}
    text = db.execute("SELECT rowid, reference, subject_name, emails, request_text FROM case_search").fetchall()
    migrations.apply(db)
    assert {text: found(repo, text) for text in queries} == before
    assert db.execute("SELECT rowid, reference, subject_name, emails, request_text FROM case_search").fetchall() == text
    indexed_as_text(db)
