"""The day each case was first answered, stored with it (``cases.answered_on``): read in the zone its receipt is
read in, kept when that zone changes, and filled in for the cases a store held before it was stored."""

from datetime import UTC, date, datetime, timedelta

from sqlite_utils import Database

from dpo_desk.application.demo import populate
from dpo_desk.application.desk import Desk
from dpo_desk.core.models import CaseQuery, Status
from dpo_desk.store import migrations
from dpo_desk.store.verify import verify
from tests.conftest import NOW, new_case

ANSWER = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)  # 03:00 on the 6th in Oslo, 21:00 on the 5th in New York
EVE, DAY = date(2026, 3, 5), date(2026, 3, 6)


def answered_on(desk: Desk, day: date) -> set[int]:
    return set(desk.cases.find_ids(CaseQuery(answered_from=day, answered_until=day), today=NOW.date()))


def test_the_day_of_the_first_answer_is_read_in_the_zone_the_receipt_is_read_in(desk: Desk) -> None:
    corrected = desk.cases.add(new_case(), actor="dpo", now=NOW)
    reopened = desk.cases.add(new_case(name="Kari Nordmann", emails=("kari@example.com",)), actor="dpo", now=NOW)
    for case_id in (corrected, reopened):
        desk.cases.change_status(
            case_id, Status.WITHDRAWN, actor="dpo", reason="withdrew", now=ANSWER - timedelta(hours=1)
        )
        desk.cases.change_status(case_id, Status.CLOSED, actor="dpo", reason="", now=ANSWER)
    desk.cases.change_status(reopened, Status.IN_PROGRESS, actor="dpo", reason="more data found", now=NOW)
    desk.cases.change_status(reopened, Status.CLOSED, actor="dpo", reason="sent", now=NOW)  # not its first
    assert (answered_on(desk, EVE), answered_on(desk, DAY)) == (set(), {corrected, reopened})

    desk.cases.correct_receipt(
        corrected, entity_name="Altoros Americas LLC", received=datetime(2026, 3, 5, 9, 30, tzinfo=UTC),
        actor="dpo", reason="sent to the office in New York", now=NOW,
    )  # fmt: skip
    desk.cases.change_status(reopened, Status.IN_PROGRESS, actor="dpo", reason="reopened again", now=NOW)
    desk.update_entity("Altoros Norge AS", {"time_zone": "America/New_York"})  # an open case's receipt moves
    assert (answered_on(desk, EVE), answered_on(desk, DAY)) == ({corrected, reopened}, set())
    q1 = next(bar for bar in desk.dashboard.quarters(NOW.date()) if bar.first == date(2026, 1, 1))
    assert q1.answered == 2


def test_an_upgraded_store_stores_the_day_each_case_was_first_answered(desk: Desk, db: Database) -> None:
    populate(desk, cases=60, seed=5)
    kept = db.execute("SELECT id, answered_on FROM cases ORDER BY id").fetchall()
    assert sum(1 for _, day in kept if day) > 20
    for statement in (  # the store as migration 0023 left it
        "DROP INDEX cases_by_answered",
        "DROP INDEX cases_by_received_date",
        "DROP INDEX recipient_notices_to_notify",
        "ALTER TABLE cases DROP COLUMN answered_on",
        "DELETE FROM _sqlite_migrations WHERE name = '0024_dashboard_indexes'",
    ):
        db.execute(statement)
    migrations._run(db, "schema_0015.sql")
    migrations._run(db, "schema_0021.sql")
    migrations.migrations.apply(db)
    assert db.execute("SELECT id, answered_on FROM cases ORDER BY id").fetchall() == kept
    assert verify(db).ok  # a day derived from the facts sealed: no seal changes
