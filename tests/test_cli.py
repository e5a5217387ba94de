"""The command line: contracts of ``factcheck extract`` (JSON shape, exit codes, one-line errors)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck.cli import cli

BUNDLED_SOURCES = {
    "state-department-2019-01-17",
    "russian-lgbt-network-2019-01-14",
    "osce-moscow-mechanism-2018-12",
    "jeremy-hunt-tweet-2019-01",
    "moscow-times-prilutskaya-2019-01",
}


def run(*args: str, input: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_extract_json_on_the_bundled_case() -> None:
    code, out, err = run("extract", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["schema"] == 1
    assert doc["article"]["title"] == "Putin accused of allowing Chechnya LGBTI purge"
    assert doc["article"]["url"].startswith("https://www.mambaonline.com/")
    assert {s["id"] for s in doc["sources"]} == BUNDLED_SOURCES
    ids = [c["id"] for c in doc["claims"]]
    assert len(ids) == len(set(ids))
    for claim in doc["claims"]:
        assert claim["verdict"] is None
        assert claim["kind"] in {"quote", "reported", "statistic", "characterization"}
        assert claim["source"] is None or claim["source"] in BUNDLED_SOURCES
        text = Path(doc["article"]["path"]).read_text(encoding="utf-8")
        assert text[claim["start"] : claim["end"]] == claim["text"]


def test_extract_table_is_readable() -> None:
    code, out, _ = run("extract")
    assert code == 0
    assert "Deputy Spokesperson Robert Palladino" in out
    assert "unsourced" in out
    assert out.rstrip().endswith("unsourced.")


def test_extract_reads_stdin() -> None:
    article = 'Title\n\n"We will rebuild the bridge," said Mayor Tom Baker.\n'
    code, out, err = run("extract", "-", "--format", "json", input=article)
    assert code == 0, err
    (claim,) = json.loads(out)["claims"]
    assert claim["speaker"] == "Mayor Tom Baker" and claim["source"] is None


def test_extract_with_another_registry(tmp_path: Path) -> None:
    (tmp_path / "mayor.toml").write_text('speakers = ["Tom Baker"]\nurl = "https://example.org/a"\n')
    article = tmp_path / "a.md"
    article.write_text('# Bridge\n\n"We will rebuild the bridge," said Mayor Tom Baker.\n')
    code, out, err = run("extract", str(article), "--sources", str(tmp_path), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["claims"][0]["source"] == "mayor"
    assert doc["sources"][0]["url"] == "https://example.org/a"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "no-such-file.txt"], "no such article file"),
        (["extract", "--format", "yaml-please"], "Invalid value for '--format'"),
        (["extract", "--sources", "no-such-folder"], "does not exist"),
        (["extract", "ftp://example.org/a.txt"], "only http and https"),
        (["extract", "--no-such-option"], "No such option"),
        (["no-such-command"], "No such command"),
    ],
)
def test_bad_input_exits_1_with_one_line(args: list[str], message: str) -> None:
    code, out, err = run(*args)
    assert code == 1
    assert out == ""
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_bad_files_are_named(tmp_path: Path) -> None:
    junk = tmp_path / "junk.txt"
    junk.write_bytes(b"\x00\xff\xfe" * 100)
    empty = tmp_path / "empty.txt"
    empty.write_text("Only a title\n\n   \n")
    registry = tmp_path / "reg"
    registry.mkdir()
    (registry / "broken.toml").write_text('speakers = ["A"\nurl = ')
    cases = [
        (["extract", str(junk)], "junk.txt: not a text, Markdown or HTML file"),
        (["extract", str(empty)], "empty.txt: the article is empty"),
        (["extract", str(tmp_path)], "is a folder"),
        (["extract", "--sources", str(registry)], "broken.toml: invalid TOML"),
    ]
    for args, message in cases:
        code, _, err = run(*args)
        assert code == 1, args
        assert message in err, err
        assert "line 2" in err or "broken" not in message


def test_errors_have_no_traceback_in_a_real_process(tmp_path: Path) -> None:
    junk = tmp_path / "junk.html"
    junk.write_bytes(bytes(range(256)) * 10)
    proc = subprocess.run(
        [sys.executable, "-m", "factcheck", "extract", str(junk)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    debug = subprocess.run(
        [sys.executable, "-m", "factcheck", "extract", str(junk), "--debug"], capture_output=True, text=True
    )
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_help_lists_commands() -> None:
    code, out, _ = run("--help")
    assert code == 0 and "extract" in out


def test_extract_reads_an_article_from_a_url(httpserver: Any) -> None:
    page = (
        "<html><head><title>Bridge | Courier</title></head><body><nav><a href='/'>Home</a></nav><article>"
        "<h1>Bridge to reopen</h1><p>\u201cWe will rebuild the bridge,\u201d said Mayor Tom Baker.</p>"
        "</article></body></html>"
    )
    httpserver.expect_request("/story").respond_with_data(page, content_type="text/html; charset=utf-8")
    code, out, err = run("extract", httpserver.url_for("/story"), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["article"]["url"] == httpserver.url_for("/story")
    assert [(c["quote"], c["speaker"]) for c in doc["claims"]] == [
        ("We will rebuild the bridge,", "Mayor Tom Baker")
    ]


def test_an_article_url_that_fails_is_one_clear_line(httpserver: Any) -> None:
    httpserver.expect_request("/gone").respond_with_data("gone", status=410)
    code, out, err = run("extract", httpserver.url_for("/gone"))
    assert code == 1 and out == ""
    assert "could not fetch the article" in err and "410" in err and len(err.strip().splitlines()) == 1
