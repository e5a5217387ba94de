"""The source registry: loading, validation and the bundled case."""

from __future__ import annotations

from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.sources import bundled_article_path, bundled_sources_dir, load_registry


def test_bundled_registry_has_the_five_cited_sources() -> None:
    registry = load_registry(bundled_sources_dir())
    assert {s.id for s in registry} == {
        "state-department-2019-01-17",
        "russian-lgbt-network-2019-01-14",
        "osce-moscow-mechanism-2018-12",
        "jeremy-hunt-tweet-2019-01",
        "moscow-times-prilutskaya-2019-01",
    }
    osce = registry.get("osce-moscow-mechanism-2018-12")
    assert osce is not None and osce.kind == "pdf" and "OSCE" in osce.speakers


def test_bundled_urls_are_never_invented() -> None:
    # PROVENANCE.md found none of the five originals at its own URL.
    assert all(s.url == "" for s in load_registry(bundled_sources_dir()))


def test_bundled_article_exists() -> None:
    assert bundled_article_path().read_text(encoding="utf-8").startswith("Putin accused")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_malformed_toml_names_file_and_line(tmp_path: Path) -> None:
    _write(tmp_path, "broken.toml", 'speakers = ["A"\nurl = ')
    with pytest.raises(FactcheckError, match=r"broken\.toml: invalid TOML.*line \d+"):
        load_registry(tmp_path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('url = "https://example.org"\n', "missing required key 'speakers'"),
        ('speakers = []\nurl = ""\n', "non-empty list"),
        ('speakers = "Jane"\nurl = ""\n', "non-empty list"),
        ('speakers = ["Jane"]\n', "missing required key 'url'"),
        ('speakers = ["Jane"]\nurl = "ftp://example.org/x"\n', "only http and https"),
        ('speakers = ["Jane"]\nurl = "file:///etc/passwd"\n', "only http and https"),
        ('speakers = ["Jane"]\nurl = ""\nkind = "video"\n', "kind 'video'"),
    ],
)
def test_invalid_entries_are_named(tmp_path: Path, text: str, message: str) -> None:
    _write(tmp_path, "entry.toml", text)
    with pytest.raises(FactcheckError, match=message) as info:
        load_registry(tmp_path)
    assert "entry.toml" in str(info.value)


def test_unknown_keys_are_kept_aside(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "a.toml",
        'speakers = ["Jane Doe"]\nurl = "https://example.org/a"\nnotes = "x"\npublished = 2019-01-17\n',
    )
    (source,) = load_registry(tmp_path)
    assert source.extra == {"notes": "x"} and source.published == "2019-01-17"


def test_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(FactcheckError, match="does not exist"):
        load_registry(tmp_path / "nope")
