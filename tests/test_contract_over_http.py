"""The contract suite once more, over HTTP against a real ``martech-emulator serve``.

The contract tests run in-process by default; this runs the same files with ``--base-url``
against a server started the way a user starts it, so one ``pytest`` proves both transports.
"""
from __future__ import annotations

import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_every_contract_test_passes_against_a_running_server(serve_process, all_contract_tests_passed):
    server = serve_process()
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "contract_tests", "-q", "-p", "no:cacheprovider",
         "--base-url", server.base_url],
        cwd=ROOT, capture_output=True, text=True, timeout=600)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-2000:]
    all_contract_tests_passed(summary)
