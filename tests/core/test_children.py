"""Art. 8: the age of digital consent, counted in whole years on the day the request arrived."""

from datetime import date

import pytest

from dpo_desk.core.children import age_on, child_of
from dpo_desk.core.models import SubjectDetails


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(2013, 3, 5), date(2026, 3, 4), 12),
        (date(2013, 3, 5), date(2026, 3, 5), 13),  # the birthday itself completes the year
        (date(2012, 2, 29), date(2025, 2, 28), 12),
        (date(2012, 2, 29), date(2025, 3, 1), 13),
    ],
)
def test_age_in_whole_years(born: date, day: date, age: int) -> None:
    assert age_on(born, day) == age


def test_a_birth_date_decides_and_the_mark_stands_in_without_one() -> None:
    received = date(2026, 3, 5)
    twelve = SubjectDetails("Child", birth_date=date(2013, 3, 6))
    child = child_of(twelve, received, 13, "Norway")
    assert child is not None and child.describe() == (
        "under 13, the age of digital consent in Norway; born 2013-03-06: 12 when the request arrived"
    )
    assert child_of(SubjectDetails("Teen", birth_date=date(2013, 3, 5)), received, 13, "Norway") is None
    assert child_of(SubjectDetails("Teen", birth_date=date(2011, 3, 5)), received, 16, "Poland") is not None
    assert child_of(SubjectDetails("Marked", child=True), received, 16, "Poland") is not None
    # A birth date showing an adult outweighs a mark set in error.
    assert child_of(SubjectDetails("Adult", birth_date=date(1990, 1, 1), child=True), received, 16, "x") is None
    assert child_of(SubjectDetails("Unknown"), received, 16, "Poland") is None
