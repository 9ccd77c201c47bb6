"""The layering of ``emulator/``: imports run one way (core -> state -> vendors -> app ->
control plane, testing toolkit, CLI), so no module imports one that imports it back."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _cycles(package: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / ".ci" / "import_cycles.py"), str(package)],
                          capture_output=True, text=True, timeout=60)


def test_the_package_has_no_import_cycle():
    result = _cycles(ROOT / "emulator")
    assert result.stdout.splitlines()[-1].startswith("import cycles: 0,"), result.stdout
    assert result.returncode == 0


def test_the_check_sees_a_cycle_hidden_in_a_function(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text("from . import b\n")
    (package / "b.py").write_text("def later():\n    from . import a\n")
    result = _cycles(package)
    assert result.stdout.splitlines()[-1].startswith("import cycles: 1,"), result.stdout
    assert "pkg.b -> pkg.a  (line 2)" in result.stdout
    assert result.returncode == 1


def test_vendor_submodules_never_import_their_package():
    """A vendor's ``__init__`` only names its ``VENDOR``; its submodules import each other."""
    for init in (ROOT / "emulator" / "vendors").glob("*/__init__.py"):
        package = f"emulator.vendors.{init.parent.name}"
        for module in init.parent.glob("*.py"):
            text = module.read_text("utf-8")
            assert "from . import VENDOR" not in text and f"from {package} import" not in text, module
