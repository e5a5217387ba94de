"""The README shows the real ``--help`` of each command (as shot-scraper's docs do with cog).

Run with FACTCHECK_UPDATE_README=1 to rewrite the blocks from the current command line.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from click.testing import CliRunner

from factcheck.cli import cli

README = Path(__file__).resolve().parent.parent / "README.md"
BLOCK = re.compile(
    r"(<!-- \[\[\[help(?P<cmd>[ \w-]*)\]\]\] -->\n```\n)(?P<body>.*?)(```\n<!-- \[\[\[end\]\]\] -->)", re.S
)


def _help(command: str) -> str:
    args = [*command.split(), "--help"]
    result = CliRunner().invoke(cli, args, terminal_width=100, prog_name="factcheck")
    assert result.exit_code == 0, result.output
    return result.output


def _rendered(text: str) -> str:
    return BLOCK.sub(lambda m: m.group(1) + _help(m.group("cmd").strip()) + m.group(4), text)


def test_readme_help_blocks_are_current() -> None:
    text = README.read_text(encoding="utf-8")
    expected = _rendered(text)
    if os.environ.get("FACTCHECK_UPDATE_README"):
        README.write_text(expected, encoding="utf-8")
        return
    assert BLOCK.search(text), "the README lost its --help blocks"
    assert text == expected, (
        "README --help blocks are stale: run FACTCHECK_UPDATE_README=1 pytest tests/test_readme.py"
    )


def test_readme_starts_with_the_two_commands() -> None:
    commands = re.findall(r"```sh\n(.*?)\n```", README.read_text(encoding="utf-8"), re.S)
    assert "pip install ." in commands[0] and "factcheck check --offline" in commands[0]
    assert "pip install -e '.[test]'" in commands[1] and commands[1].rstrip().endswith("pytest")
    ci = (README.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install --quiet -e '.[test]'" in ci and "\n.venv/bin/pytest" in ci
