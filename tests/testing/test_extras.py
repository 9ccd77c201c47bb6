"""A missing optional dependency is one line naming the extra, not a traceback ending in
``No module named 'responses'``."""
from __future__ import annotations

import subprocess
import sys

import pytest

from emulator.extras import MissingExtra, require

USER_TEST = '''
def test_intercepted(emulator):
    with emulator.intercept():
        pass
'''
#: stands in for a plain install: the named package cannot be imported
HIDE = '''
import sys
sys.modules[{name!r}] = None
'''


@pytest.mark.parametrize("missing", ["responses", "httpx"])
def test_intercept_without_the_pytest_extra_names_the_extra(tmp_path, missing):
    (tmp_path / "conftest.py").write_text(HIDE.format(name=missing))
    (tmp_path / "test_user.py").write_text(USER_TEST)

    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist",
                          "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert run.returncode == 1, run.stdout + run.stderr
    expected = (f"emulator.extras.MissingExtra: emulator.intercept() needs the package {missing!r}: "
                "pip install 'martech-emulator[pytest]'")
    errors = [line.strip()[1:].strip() for line in run.stdout.splitlines() if line.strip().startswith("E ")]
    assert expected in errors, run.stdout
    assert "No module named" not in run.stdout


def test_the_emulator_fixture_itself_needs_no_extra_package(tmp_path):
    """The plugin's server and journal work on a plain install: only interception needs the extra."""
    (tmp_path / "conftest.py").write_text(HIDE.format(name="responses") + HIDE.format(name="respx"))
    (tmp_path / "test_user.py").write_text(
        "import requests\n\n"
        "def test_served(emulator):\n"
        "    assert requests.get(emulator.url + '/_emulator/health').status_code == 200\n")

    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", "-p", "no:xdist",
                          "-p", "no:cacheprovider", "--rootdir", str(tmp_path), str(tmp_path)],
                         cwd=tmp_path, capture_output=True, text=True, timeout=120)

    assert run.returncode == 0, run.stdout + run.stderr


def test_a_broken_installed_package_is_not_reported_as_a_missing_extra(tmp_path, monkeypatch):
    (tmp_path / "brokenpkg.py").write_text("import no_such_module_here\n")
    monkeypatch.syspath_prepend(str(tmp_path))

    with pytest.raises(ModuleNotFoundError) as caught:
        require("brokenpkg", "pytest", "a feature")

    assert not isinstance(caught.value, MissingExtra)
    assert caught.value.name == "no_such_module_here"
