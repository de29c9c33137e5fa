"""Files attached by hand are read within the e-mail limit, and an attachment's name is made safe before it
names a file on disk."""

from pathlib import Path

import pytest

from dpo_desk.application.attachments import disk_name, read_for_attaching
from dpo_desk.application.desk import Desk
from dpo_desk.core.errors import InputError, NotFoundError
from tests.conftest import new_case


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("dowód skan.pdf", "dowód skan.pdf"),
        ("../../etc/passwd", "_.._etc_passwd"),
        (".bashrc", "bashrc"),
        ("a\x00b\u202ec.exe", "a_b_c.exe"),
        ("...", "attachment-7"),
        ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
    ],
)
def test_a_disk_name_has_no_separator_leading_dot_or_control_character(name: str, safe: str) -> None:
    assert disk_name(name, "attachment-7") == safe


def test_an_empty_file_is_not_attached(tmp_path: Path) -> None:
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=r"empty\.pdf: the file is empty; nothing attached"):
        read_for_attaching(empty)


def test_another_cases_attachment_is_not_found(desk: Desk, tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG a scan")
    first, second = desk.add_case(new_case()), desk.add_case(new_case(name="Kari Nordmann"))
    attached = desk.attach_file(first, scan)
    assert attached.content_type == "image/png" and attached.size == 11
    reference = desk.cases.get_by_id(second).reference
    with pytest.raises(NotFoundError, match=f"{reference} has no attachment {attached.id}"):
        desk.attachment_content(second, attached.id)
