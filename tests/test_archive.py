"""The archive (content-addressed copies with provenance), acquire(), and the bundled case's archive."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from factcheck.archive import (
    Acquired,
    Archive,
    Capture,
    acquire,
    build_archive_from_manifest,
    check_source_id,
    kind_for,
)
from factcheck.errors import FactcheckError
from factcheck.fetch import Fetcher, FetchResult, FetchSettings, Hop
from factcheck.sources import (
    Source,
    bundled_article_path,
    bundled_sources_dir,
    load_registry,
    source_id_for_url,
)
from tests.fuzzing import examples
from tests.servers import WAYBACK_TIMESTAMP, Server

BUNDLED = bundled_sources_dir()


def result(body: bytes | None = b"<html><p>hello</p></html>", **changes: Any) -> FetchResult:
    base = FetchResult(
        url="https://example.org/a",
        final_url="https://example.org/b",
        status=200,
        outcome="ok",
        body=body,
        content_type="text/html; charset=utf-8",
        headers={"content-type": "text/html; charset=utf-8", "etag": '"e1"'},
        redirects=[Hop("https://example.org/a", 301)],
        fetched_at="2024-05-01T10:00:00Z",
        error=None,
        attempts=1,
        elapsed=0.1,
    )
    return replace(base, **changes)


def copy(
    archive: Archive, source_id: str = "src", body: bytes = b"text of the copy", **changes: Any
) -> Capture:
    fields: dict[str, Any] = {
        "provenance": "reproduction",
        "strength": "complete",
        "note": "seen in two places",
        "seen_at": ["a.example", "b.example"],
        "kind": "text",
        "url": None,
        "fetched_at": "2020-01-01T00:00:00Z",
    }
    fields.update(changes)
    return archive.add_copy(source_id, body, **fields)


def files_under(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


# -- storing and reading --------------------------------------------------------------------------


def test_store_and_read_round_trip(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    fetched = result()
    capture = archive.store("state-dept", fetched)
    sha = hashlib.sha256(fetched.body or b"").hexdigest()
    assert capture.sha256 == sha and capture.size == len(fetched.body or b"")
    assert (tmp_path / "archive" / "objects" / sha[:2] / sha).read_bytes() == fetched.body
    assert archive.read(capture) == fetched.body
    assert archive.captures("state-dept") == [capture]
    assert archive.latest("state-dept") == capture
    assert capture.kind == "html" and capture.provenance == "live" and capture.strength == "original"
    stored = json.loads((tmp_path / "archive" / "captures" / "state-dept.json").read_text())
    assert stored["schema"] == 1 and stored["source_id"] == "state-dept"
    entry = stored["captures"][0]
    assert entry["url"] == "https://example.org/a" and entry["final_url"] == "https://example.org/b"
    assert entry["status"] == 200 and entry["redirects"] == [{"url": "https://example.org/a", "status": 301}]
    assert entry["headers"]["etag"] == '"e1"' and entry["fetched_at"] == "2024-05-01T10:00:00Z"
    assert entry["sha256"] == sha


def test_captures_accumulate_newest_last_and_bodies_are_shared(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    first = archive.store("s", result(fetched_at="2024-01-01T00:00:00Z"))
    second = archive.store("s", result(fetched_at="2024-02-01T00:00:00Z"))
    assert archive.captures("s") == [first, second] and archive.latest("s") == second
    assert len(list((tmp_path / "objects").rglob("*"))) == 2  # one folder, one object


def test_unknown_source_has_no_captures(tmp_path: Path) -> None:
    assert Archive(tmp_path / "nowhere").captures("missing") == []
    assert Archive(tmp_path / "nowhere").latest("missing") is None
    assert Archive(tmp_path / "nowhere").source_ids() == []


def test_read_detects_a_changed_object(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    capture = archive.store("s", result())
    path = archive.object_path(capture.sha256)
    path.write_bytes(b"tampered")
    with pytest.raises(FactcheckError, match="corrupt") as err:
        archive.read(capture)
    assert str(path) in str(err.value)


def test_read_reports_a_missing_object(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    capture = archive.store("s", result())
    archive.object_path(capture.sha256).unlink()
    with pytest.raises(FactcheckError, match="missing from the archive"):
        archive.read(capture)


def test_storing_a_fetch_without_body_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="no body"):
        Archive(tmp_path).store("s", result(body=None, outcome="dead"))


def test_vocabularies_are_enforced(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    with pytest.raises(ValueError, match="provenance"):
        copy(archive, provenance="hearsay")
    with pytest.raises(ValueError, match="strength"):
        copy(archive, strength="strong")
    with pytest.raises(ValueError, match="kind"):
        copy(archive, kind="video")
    assert archive.captures("src") == []


def test_add_copy_is_idempotent_but_keeps_real_changes(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    first = copy(archive)
    assert copy(archive) == first
    assert len(archive.captures("src")) == 1
    changed = copy(archive, note="a better note")
    assert archive.captures("src") == [first, changed]


@pytest.mark.parametrize(
    ("content_type", "body", "declared", "kind"),
    [
        ("application/pdf", b"%PDF-1.4", None, "pdf"),
        ("application/octet-stream", b"%PDF-1.7 ...", "html", "pdf"),
        ("text/html; charset=windows-1251", b"<p>", None, "html"),
        ("application/xhtml+xml", b"<p>", None, "html"),
        ("text/plain", b"words", "html", "text"),
        (None, b"  <!DOCTYPE html><html>", None, "html"),
        ("application/json", b"{}", "tweet", "tweet"),
        ("application/octet-stream", b"\x00\x01", None, None),
    ],
)
def test_kind_for(content_type: str | None, body: bytes, declared: str | None, kind: str | None) -> None:
    assert kind_for(content_type, body, declared) == kind


# -- atomic writes --------------------------------------------------------------------------------


def test_no_temporary_files_are_left(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    for day in range(1, 6):
        archive.store("s", result(body=f"version {day}".encode(), fetched_at=f"2024-01-0{day}T00:00:00Z"))
    copy(archive, "t")
    leftovers = [p.name for p in tmp_path.rglob("*") if p.name.endswith(".tmp") or p.name.startswith(".")]
    assert leftovers == []
    assert len(archive.captures("s")) == 5


def test_a_failed_write_keeps_the_previous_metadata(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = Archive(tmp_path)
    first = archive.store("s", result())
    before = files_under(tmp_path)

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device", dst)

    # os.replace is the rename that makes factcheck.atomic's write visible.
    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(FactcheckError, match="cannot write to the archive"):
        archive.store("s", result(body=b"a new version"))
    monkeypatch.undo()
    assert files_under(tmp_path) == before  # no temp file, no half-written metadata
    assert archive.captures("s") == [first]


# -- nothing escapes the archive folder -----------------------------------------------------------

BAD_IDS = [
    "",
    ".",
    "..",
    "../outside",
    "../../etc/passwd",
    "/etc/passwd",
    "a/b",
    "a\\b",
    "x\x00y",
    ".hidden",
    "-leading-dash",
    "a" * 129,
    "é",
    "con",
    "NUL.json",
    "com1",
    "name with space",
    "line\nbreak",
    "trailing-newline\n",
]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_unsafe_source_ids_are_refused_everywhere(tmp_path: Path, bad: str) -> None:
    root = tmp_path / "archive"
    archive = Archive(root)
    with pytest.raises(FactcheckError, match="cannot name an archive entry"):
        archive.metadata_path(bad)
    with pytest.raises(FactcheckError):
        archive.captures(bad)
    with pytest.raises(FactcheckError):
        archive.store(bad, result())
    with pytest.raises(FactcheckError):
        copy(archive, bad)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing written anywhere


def test_longest_valid_id_is_accepted(tmp_path: Path) -> None:
    assert check_source_id("a" * 128) == "a" * 128
    capture = copy(Archive(tmp_path), "a" * 128)
    assert capture.source_id == "a" * 128


def test_a_crafted_sha256_in_metadata_cannot_point_outside(tmp_path: Path) -> None:
    archive = Archive(tmp_path / "archive")
    capture = copy(archive)
    path = archive.metadata_path("src")
    doc = json.loads(path.read_text())
    doc["captures"][0]["sha256"] = "../../../../etc/passwd"
    path.write_text(json.dumps(doc))
    with pytest.raises(FactcheckError, match="corrupt archive metadata"):
        archive.captures("src")
    with pytest.raises(FactcheckError, match="not a sha256"):
        archive.read(replace(capture, sha256="../../../../etc/passwd"))


@pytest.mark.parametrize(
    "url",
    [
        "https://www.state.gov/attacks-on-lgbti-community-in-chechnya/",
        "http://example.com/../../etc/passwd",
        "http://example.com/%2e%2e/%2e%2e/x",
        "file:///etc/passwd",
        "javascript:alert(1)",
        "http://[::1/broken",
        "http://xn--e1afmkfd.xn--p1ai/путь?q=1#frag",
        "http://example.com/" + "a/" * 500,
        "",
        "\x00\x00",
        "C:\\Windows\\system32",
    ],
)
def test_ids_for_urls_are_safe_and_stay_inside(tmp_path: Path, url: str) -> None:
    source_id = source_id_for_url(url)
    assert check_source_id(source_id) == source_id
    assert len(source_id) <= 128
    path = Archive(tmp_path).metadata_path(source_id)
    assert path.resolve().parent == (tmp_path / "captures").resolve()


def test_ids_for_urls_are_readable_stable_and_distinct() -> None:
    source_id = source_id_for_url("https://www.state.gov/attacks-on-lgbti-community-in-chechnya/")
    assert source_id.startswith("state-gov-attacks-on-lgbti-community-in-chechnya-")
    assert source_id == source_id_for_url("https://www.state.gov/attacks-on-lgbti-community-in-chechnya/")
    assert source_id_for_url("http://a.example/x") != source_id_for_url("https://a.example/x")


@pytest.mark.fuzz
@settings(max_examples=examples(300), deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_safe_id(url: str) -> None:
    source_id = source_id_for_url(url)
    assert check_source_id(source_id) == source_id


# -- corrupt metadata is reported, never overwritten ----------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"\xff\xfe garbage",
        b"[]",
        b'{"schema": 1, "source_id": "src"}',
        b'{"schema": 99, "source_id": "src", "captures": []}',
        b'{"schema": 1, "source_id": "other", "captures": []}',
        b'{"schema": 1, "source_id": "src", "captures": [{"sha256": "x"}]}',
    ],
)
def test_corrupt_metadata_is_reported_and_left_alone(tmp_path: Path, content: bytes) -> None:
    archive = Archive(tmp_path)
    path = archive.metadata_path("src")
    path.parent.mkdir(parents=True)
    path.write_bytes(content)
    with pytest.raises(FactcheckError) as err:
        archive.captures("src")
    assert str(path) in str(err.value) and "corrupt archive metadata" in str(err.value)
    with pytest.raises(FactcheckError):
        archive.store("src", result())
    with pytest.raises(FactcheckError):
        copy(archive)
    assert path.read_bytes() == content


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=6),
    max_leaves=20,
)


_GOOD = Capture(
    source_id="src",
    url=None,
    final_url=None,
    status=None,
    redirects=(),
    headers={},
    content_type=None,
    kind="text",
    fetched_at="2020-01-01T00:00:00Z",
    sha256="0" * 64,
    size=1,
    provenance="partial",
    strength="partial",
).to_json()
# Valid documents with some capture fields replaced by arbitrary JSON: reaches every field check.
damaged_docs = st.dictionaries(st.sampled_from(sorted(_GOOD)), json_values, max_size=3).map(
    lambda damage: json.dumps({"schema": 1, "source_id": "src", "captures": [{**_GOOD, **damage}]}).encode()
)


@pytest.mark.fuzz
@settings(max_examples=examples(150), deadline=None)
@given(
    content=st.one_of(
        st.binary(max_size=200), json_values.map(lambda v: json.dumps(v).encode()), damaged_docs
    )
)
def test_any_metadata_file_gives_captures_or_a_clear_error(
    tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    archive = Archive(tmp_path_factory.getbasetemp() / "fuzzed-archive")
    path = archive.metadata_path("src")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    try:
        found = archive.captures("src")
    except FactcheckError as err:
        assert str(path) in str(err)
    else:
        assert all(isinstance(c, Capture) for c in found)


# -- acquire() ------------------------------------------------------------------------------------


def src(url: str = "", kind: str | None = None, source_id: str = "src") -> Source:
    return Source(id=source_id, url=url, speakers=("Someone",), kind=kind)


def acquire_with(
    source: Source, archive: Archive, settings: FetchSettings | None, offline: bool = False
) -> Acquired:
    async def go() -> Acquired:
        if settings is None:
            return await acquire(source, None, archive, offline=offline)
        async with Fetcher(settings) as fetcher:
            return await acquire(source, fetcher, archive, offline=offline)

    return asyncio.run(go())


def test_offline_reads_the_latest_archived_copy(tmp_path: Path, server: Server) -> None:
    archive = Archive(tmp_path)
    copy(archive, body=b"old")
    latest = copy(archive, body=b"newer", note="newer copy")
    before = server.hits("/ok")
    got = acquire_with(src(server.url("/ok")), archive, None, offline=True)
    assert got.status == "archived" and got.capture == latest and got.body == b"newer"
    assert got.error is None and got.fetch is None and got.provenance == "reproduction"
    assert server.hits("/ok") == before  # offline means offline


def test_offline_without_a_copy_is_unavailable(tmp_path: Path) -> None:
    archive = Archive(tmp_path)
    got = acquire_with(src("https://example.org/x"), archive, None, offline=True)
    assert got.status == "unavailable" and got.body is None
    assert got.error == "no archived copy; run without --offline to fetch it"
    assert acquire_with(src(""), archive, None, offline=True).error == "no URL known and no archived copy"


def test_online_without_url_uses_the_archive_or_says_so(tmp_path: Path, fast: FetchSettings) -> None:
    archive = Archive(tmp_path)
    assert acquire_with(src(""), archive, fast).error == "no URL known"
    copy(archive)
    got = acquire_with(src(""), archive, fast)
    assert got.status == "archived" and got.body == b"text of the copy"


def test_online_fetch_is_archived_as_live(tmp_path: Path, server: Server, fast: FetchSettings) -> None:
    archive = Archive(tmp_path)
    url = server.url("/chain/1")
    got = acquire_with(src(url, kind="html"), archive, fast)
    assert got.status == "live" and got.error is None and got.provenance == "live"
    assert got.body == b"end of chain\n"
    assert got.capture is not None and archive.captures("src") == [got.capture]
    capture = got.capture
    assert capture.url == url and capture.final_url == server.url("/chain/3")
    assert [hop.status for hop in capture.redirects] == [301, 302]
    assert capture.status == 200 and capture.kind == "text"  # served as text/plain: the server decides
    assert got.http_status == 200 and got.final_url == server.url("/chain/3")


def test_revalidation_304_reuses_the_capture(tmp_path: Path, server: Server, fast: FetchSettings) -> None:
    archive = Archive(tmp_path)
    url = server.url("/etag")
    first = acquire_with(src(url), archive, fast)
    assert first.status == "live" and first.capture is not None
    again = acquire_with(src(url), archive, fast)
    assert again.status == "live" and again.capture == first.capture
    assert again.fetch is not None and again.fetch.outcome == "not_modified"
    assert again.body == b"versioned body v1\n"
    assert len(archive.captures("src")) == 1
    assert server.last("/etag").headers["if-none-match"] == '"v1-abc"'


def test_dead_link_falls_back_to_the_archived_copy(
    tmp_path: Path, server: Server, fast: FetchSettings
) -> None:
    archive = Archive(tmp_path)
    copy(archive, body=b"kept from before", fetched_at="2019-01-17T12:00:00Z")
    got = acquire_with(src(server.url("/status/404")), archive, fast)
    assert got.status == "archived" and got.body == b"kept from before"
    assert got.error == "live fetch failed: 404 Not Found; using the archived copy of 2019-01-17"
    assert got.fetch is not None and got.fetch.outcome == "dead"
    assert got.http_status == 404


def test_dead_link_without_copy_uses_a_wayback_snapshot(
    tmp_path: Path, server: Server, fast: FetchSettings
) -> None:
    archive = Archive(tmp_path)
    url = server.url("/status/410")
    got = acquire_with(src(url), archive, fast)
    assert got.status == "archived" and got.provenance == "wayback"
    assert got.error == "live fetch failed: 410 Gone; using the Wayback Machine snapshot of 2019-01-17"
    # The raw (id_) snapshot: the archived page without the Wayback toolbar.
    assert got.body == f"<html><body><p>Archived copy of {url}</p></body></html>".encode()
    capture = got.capture
    assert capture is not None and archive.captures("src") == [capture]
    assert capture.provenance == "wayback" and capture.url == url and capture.kind == "html"
    assert capture.final_url == server.url(f"/web/{WAYBACK_TIMESTAMP}id_/{url}")
    assert f"/web/{WAYBACK_TIMESTAMP}/{url}" in capture.note and "2019-01-17T09:30:00Z" in capture.note


@pytest.mark.parametrize(
    ("path", "outcome", "reason"),
    [
        ("/status/404", "dead", "live fetch failed: 404 Not Found; no archived copy and no Wayback snapshot"),
        (
            "/flaky/403/99",
            "blocked",
            "live fetch failed: blocked: 403 Forbidden after 2 attempts; no archived",
        ),
        ("/stall-headers", "timeout", "live fetch failed: timed out after 0.4 s without data waiting for"),
    ],
)
def test_unavailable_keeps_dead_blocked_and_timeout_apart(
    tmp_path: Path, server: Server, fast: FetchSettings, path: str, outcome: str, reason: str
) -> None:
    url = server.url(f"{path}?no-snapshot={tmp_path.name}")
    got = acquire_with(src(url), Archive(tmp_path), replace(fast, max_retries=1))
    assert got.status == "unavailable" and got.body is None and got.capture is None
    assert got.fetch is not None and got.fetch.outcome == outcome
    assert got.error is not None and got.error.startswith(reason)
    assert Archive(tmp_path).captures("src") == []


def test_tweets_are_read_through_oembed(tmp_path: Path, server: Server, fast: FetchSettings) -> None:
    archive = Archive(tmp_path)
    tweet = "https://twitter.com/test/status/1086236519386681344"
    got = acquire_with(src(tweet, kind="tweet"), archive, fast)
    assert got.status == "live" and got.capture is not None
    assert got.capture.kind == "tweet" and got.capture.url == tweet
    assert got.body is not None and json.loads(got.body)["url"] == tweet
    assert server.last("/oembed").path.startswith("/oembed?url=https%3A%2F%2Ftwitter.com")


def test_online_needs_a_fetcher(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="needs a Fetcher"):
        acquire_with(src("https://example.org/"), Archive(tmp_path), None)


# -- the bundled case's archive -------------------------------------------------------------------


def test_bundled_archive_is_exactly_what_the_manifest_builds(tmp_path: Path) -> None:
    rebuilt = Archive(tmp_path / "archive")
    build_archive_from_manifest(BUNDLED / "originals" / "manifest.toml", rebuilt)
    assert files_under(tmp_path / "archive") == files_under(BUNDLED / "archive")
    # Building again over the result changes nothing.
    build_archive_from_manifest(BUNDLED / "originals" / "manifest.toml", rebuilt)
    assert files_under(tmp_path / "archive") == files_under(BUNDLED / "archive")


def test_bundled_archive_says_how_strong_each_copy_is() -> None:
    archive = Archive(BUNDLED / "archive")
    expected = {
        "state-department-2019-01-17": ("reproduction", "complete", "state-department-2019-01-17.txt"),
        "russian-lgbt-network-2019-01-14": (
            "reproduction",
            "secondary",
            "russian-lgbt-network-2019-01-14.excerpts.txt",
        ),
        "osce-moscow-mechanism-2018-12": ("partial", "partial", "osce-moscow-mechanism-2018-12.partial.txt"),
    }
    assert archive.source_ids() == sorted(expected)
    registry = load_registry(BUNDLED)
    for source_id, (provenance, strength, name) in expected.items():
        (capture,) = archive.captures(source_id)
        assert (capture.provenance, capture.strength, capture.kind) == (provenance, strength, "text")
        assert archive.read(capture) == (BUNDLED / "originals" / name).read_bytes()
        assert capture.url is None and capture.status is None
        source = registry.get(source_id)
        assert source is not None and list(capture.seen_at) == source.extra["seen_at"]
        assert capture.note
    note = archive.captures("russian-lgbt-network-2019-01-14")[0].note
    assert "attitude.co.uk" in note and '"threat' in note and "threaten" in note


def test_bundled_gaps_stay_gaps() -> None:
    archive = Archive(BUNDLED / "archive")
    registry = load_registry(BUNDLED)
    for source_id in ("jeremy-hunt-tweet-2019-01", "moscow-times-prilutskaya-2019-01"):
        assert registry.get(source_id) is not None
        assert archive.captures(source_id) == []
        got = asyncio.run(acquire(registry.get(source_id), None, archive, offline=True))  # type: ignore[arg-type]
        assert got.status == "unavailable" and got.error == "no URL known and no archived copy"
    # Nothing only the article says was put into any archived copy.
    article = bundled_article_path().read_text(encoding="utf-8")
    for words in (
        "Chechnya remains a part of the Russian Federation",
        "Very disturbing reports",
        "in darkness",
    ):
        assert words in article
        for source_id in archive.source_ids():
            body = archive.read(archive.captures(source_id)[0]).decode("utf-8")
            assert words not in body


def test_bundled_archive_objects_match_their_names() -> None:
    for path in (BUNDLED / "archive" / "objects").rglob("*"):
        if path.is_file():
            assert hashlib.sha256(path.read_bytes()).hexdigest() == path.name
            assert path.parent.name == path.name[:2]
    assert not [p for p in (BUNDLED / "archive").rglob("*") if p.name.startswith(".")]
    assert os.listdir(BUNDLED / "archive") == ["captures", "objects"] or sorted(
        os.listdir(BUNDLED / "archive")
    ) == ["captures", "objects"]


def test_manifest_errors_name_the_manifest(tmp_path: Path) -> None:
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[copy]]\nfile = "../escape.txt"\nsource_id = "x"\nprovenance = "partial"\n'
        'strength = "partial"\nnote = ""\nseen_at = []\nfetched_at = "2020-01-01T00:00:00Z"\n'
    )
    with pytest.raises(FactcheckError, match="file name") as err:
        build_archive_from_manifest(manifest, Archive(tmp_path / "archive"))
    assert str(manifest) in str(err.value)
    manifest.write_text("not = [valid")
    with pytest.raises(FactcheckError, match="invalid manifest"):
        build_archive_from_manifest(manifest, Archive(tmp_path / "archive"))
