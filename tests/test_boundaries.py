"""The headless core never imports textual, and ``factcheck --help`` does not pay for it."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "factcheck"
HEAVY = ("textual", "httpx", "bs4", "rapidfuzz", "pypdf", "rich")


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_only_tui_imports_textual() -> None:
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if "tui" not in path.relative_to(PACKAGE).parts and "textual" in _imported_modules(path)
    ]
    assert offenders == []


def test_boundary_check_sees_tui_imports() -> None:
    # Guard against the check above passing vacuously: the TUI package does import textual.
    tui_files = list((PACKAGE / "tui").rglob("*.py"))
    if not any("textual" in _imported_modules(p) for p in tui_files):
        # Before the TUI exists, check the scanner on a known import instead.
        assert "click" in _imported_modules(PACKAGE / "cli.py")


def test_help_imports_no_heavy_module() -> None:
    code = (
        "import sys\n"
        "from factcheck.cli import cli\n"
        "try:\n"
        "    cli.main(args=['--help'], prog_name='factcheck')\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('HEAVY=' + ','.join(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "Usage: factcheck" in out.stdout
    assert out.stdout.strip().splitlines()[-1] == "HEAVY="


def test_match_api_is_cheap_to_import() -> None:
    match_py = PACKAGE / "match.py"
    if not match_py.exists():
        return
    code = "import sys, factcheck.match\nprint(','.join(m for m in ('textual', 'httpx') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
