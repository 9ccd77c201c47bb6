"""The contract suite once more through the two other transports: the plugin's in-thread server
and interception of the vendors' real hostnames (in-process runs in the main session, and
``tests/test_contract_over_http.py`` runs ``--base-url``), so one ``pytest`` proves all four."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def contract_run(*args: str) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "EMULATOR_"))}
    result = subprocess.run([sys.executable, "-m", "pytest", "contract_tests", "-p", "no:cacheprovider", *args],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    return result.returncode, result.stdout + result.stderr


@pytest.mark.parametrize("transport", ["thread", "intercept"])
def test_every_contract_test_passes_through_the_transport(transport, all_contract_tests_passed):
    code, output = contract_run("--transport", transport)
    assert code == 0, output[-5000:]
    all_contract_tests_passed(output.strip().splitlines()[-1])
    assert f"contract transport: {transport}" in output


def test_base_url_and_transport_are_alternatives():
    code, output = contract_run("--transport", "thread", "--base-url", "http://127.0.0.1:9")
    assert code == 4 and "--base-url and --transport are alternatives: give one" in output
