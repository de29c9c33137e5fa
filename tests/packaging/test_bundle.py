"""The desktop bundle, built from this checkout with packaging/build and run by packaging/smoke_test.py with no
Python on PATH. Only with DPO_DESK_BUNDLE=1 (see conftest.py):

    DPO_DESK_BUNDLE=1 ./desk test tests/packaging/test_bundle.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile

import pytest

from dpo_desk import APP_ID, __version__
from tests.packaging.tools import PACKAGING, ROOT, load

BUILD_MINUTES = 9


@pytest.mark.bundle
def test_the_bundle_builds_and_runs_without_python() -> None:
    # The build installs into the venv running the tests what it needs; the package extra comes on top.
    env = os.environ | {"VENV": sys.prefix}
    subprocess.run([str(PACKAGING / "build")], cwd=ROOT, env=env, check=True, timeout=BUILD_MINUTES * 60)
    bundle = ROOT / "dist" / "dpo-desk"
    assert load("smoke_test").main([str(bundle)]) == 0

    if sys.platform.startswith("linux"):
        tarball = ROOT / "dist" / f"dpo-desk-{__version__}-linux-{os.uname().machine}.tar.gz"
        with tarfile.open(tarball) as archive:
            names = set(archive.getnames())
        assert {"dpo-desk/dpo-desk", "dpo-desk/install.sh", f"dpo-desk/share/applications/{APP_ID}.desktop"} <= names
