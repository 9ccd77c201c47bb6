"""The layering of ``emulator/``: imports run one way (core -> state -> vendors -> app ->
control plane, testing toolkit, CLI), so no module imports one that imports it back."""
from __future__ import annotations

import importlib.util
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


#: The layers, lowest first; a module may import its own layer and those below it, never above.
#: A new module must be placed here (the longest matching prefix decides).
LAYERS: dict[str, int] = {
    # 0 core: knows no vendor and no request beyond flask's
    "emulator.version": 0, "emulator.errors": 0, "emulator.ids": 0, "emulator.clock": 0,
    "emulator.settings": 0, "emulator.jsondoc": 0, "emulator.store": 0, "emulator.indexes": 0, "emulator.changelog": 0,
    "emulator.deferred": 0, "emulator.journal": 0, "emulator.requestnotes": 0, "emulator.openapi": 0,
    "emulator.realism": 0, "emulator.realism.settings": 0, "emulator.realism.rules": 0,
    "emulator.realism.quota": 0, "emulator.jsoninput": 0, "emulator.plainlist": 0,
    # 1 the emulator's state, handed the vendor registry, and the request hooks that read it
    "emulator.state": 1, "emulator.seeding": 1, "emulator.realism.core": 1, "emulator.realism.api": 1,
    "emulator.realism.hook": 1, "emulator.journal_hooks": 1,
    # 2 vendors, and the registry that lists them
    "emulator.vendors": 2,
    # 3 the control plane; 4 the app factory that wires everything; 5 what users run
    "emulator.control": 3, "emulator.app": 4,
    "emulator": 5, "emulator.__main__": 5, "emulator.cli": 5, "emulator.testing": 5,
    "emulator.serving": 5,
}


def _layer(module: str) -> int | None:
    name = module
    while name:
        if name in LAYERS:
            return LAYERS[name]
        name = name.rpartition(".")[0]
    return None


def _import_graph() -> dict[str, dict[str, int]]:
    spec = importlib.util.spec_from_file_location("import_cycles", ROOT / ".ci" / "import_cycles.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    package = ROOT / "emulator"
    files = sorted(package.rglob("*.py"))
    modules = {tool.module_name(package, p) for p in files}
    return {tool.module_name(package, p): tool.imports_of(package, p, modules) for p in files}


def test_every_import_goes_to_the_same_layer_or_below():
    wrong = []
    for module, imports in _import_graph().items():
        own = _layer(module)
        assert own is not None, f"{module}: place it in a layer (tests/test_architecture.py LAYERS)"
        for target, line in imports.items():
            if _layer(target) > own:
                wrong.append(f"{module}:{line} (layer {own}) imports {target} (layer {_layer(target)})")
    assert wrong == []


def test_a_vendor_never_imports_another_vendor():
    wrong = []
    for module, imports in _import_graph().items():
        parts = module.split(".")
        if parts[:2] != ["emulator", "vendors"] or len(parts) < 4:
            continue
        for target, line in imports.items():
            other = target.split(".")
            if other[:2] == ["emulator", "vendors"] and len(other) > 2 and other[2] not in (parts[2], "base"):
                wrong.append(f"{module}:{line} imports {target}")
    assert wrong == []
