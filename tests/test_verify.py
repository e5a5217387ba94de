"""``factcheck verify``: link health, drift against the archive, cache, outputs and exit codes.

Every test runs against the loopback servers of :mod:`tests.servers`; each builds its own articles,
registry and archive in ``tmp_path`` and serves its pages under a unique ``/pages/<test>/`` prefix, so
request counts at the server are the test's own.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from factcheck.archive import Archive, Capture
from factcheck.cli import cli
from factcheck.errors import FactcheckError
from factcheck.fetch import FetchSettings
from factcheck.verify import (
    VerifyOptions,
    VerifyReport,
    compile_excludes,
    expand_articles,
    parse_accept,
    parse_duration,
    render,
    run_verify_command,
    to_json,
    to_junit,
    to_markdown,
    verify,
)
from tests.servers import WAYBACK_TIMESTAMP, Server

BASELINE_DATE = "2024-05-01T10:00:00Z"
MAYOR_PAGE = (
    "<!doctype html><html><head><title>Statement</title></head><body><h1>Statement by the mayor</h1>"
    "<p>The mayor spoke to reporters at the town hall.</p>"
    "<p>We will rebuild the bridge before winter, and the river path will reopen in May.</p>"
    "<p>Nobody should worry about the budget for the repairs.</p></body></html>"
)
MAYOR_ARTICLE = (
    "Bridge to be rebuilt\n\n"
    '"We will rebuild the bridge before winter," said Mayor Tom Baker.\n\n'
    '"It will cost far too much," said Jane Roe, a neighbour.\n'
)
COUNCIL_ARTICLE = (
    'Council budget row\n\n"The budget is balanced and fair," said council leader Leah Brandt.\n'
)


@dataclass
class Case:
    """A registry, an archive and articles in a temporary folder, pages on the loopback server."""

    root: Path
    server: Server
    prefix: str

    @property
    def registry(self) -> Path:
        return self.root / "sources"

    @property
    def archive(self) -> Path:
        return self.registry / "archive"

    def page(self, name: str, body: str | bytes, **kwargs: Any) -> str:
        return self.server.set_page(f"{self.prefix}/{name}", body, **kwargs)

    def hits(self, name: str) -> int:
        return self.server.hits(f"{self.prefix}/{name}")

    def source(self, sid: str, url: str, speakers: list[str], **extra: str) -> Path:
        self.registry.mkdir(parents=True, exist_ok=True)
        lines = [f"speakers = {json.dumps(speakers)}", f"url = {json.dumps(url)}"]
        lines += [f"{key} = {json.dumps(value)}" for key, value in extra.items()]
        path = self.registry / f"{sid}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    def article(self, name: str, text: str) -> Path:
        path = self.root / "articles" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def baseline(self, sid: str, body: str, *, url: str | None = None, strength: str = "original") -> Capture:
        provenance = "live" if strength == "original" else "reproduction"
        return Archive(self.archive).add_copy(
            sid,
            body.encode("utf-8"),
            provenance=provenance,
            strength=strength,
            note="" if strength == "original" else "rebuilt by hand",
            seen_at=[],
            kind="html",
            url=url,
            fetched_at=BASELINE_DATE,
        )


@pytest.fixture
def case(tmp_path: Path, server: Server, request: pytest.FixtureRequest) -> Case:
    name = re.sub(r"[^A-Za-z0-9]+", "-", request.node.name).strip("-")
    return Case(tmp_path, server, f"/pages/{name}")


@pytest.fixture
def settings(fast: FetchSettings) -> FetchSettings:
    """Loopback Wayback/oEmbed endpoints, short timeouts and no retries: every test stays fast."""
    return replace(fast, max_retries=0)


def run(case: Case, *articles: Path | str, settings: FetchSettings, **options: Any) -> VerifyReport:
    return verify([str(a) for a in articles], case.registry, VerifyOptions(settings=settings, **options))


def mayor(case: Case, page: str = MAYOR_PAGE) -> Path:
    url = case.page("mayor", page)
    case.source("mayor", url, ["Tom Baker", "Mayor Tom Baker"], title="Statement by the mayor")
    return case.article("bridge.txt", MAYOR_ARTICLE)


def only(items: list[Any]) -> Any:
    assert len(items) == 1, items
    return items[0]


def quote_claim(report: VerifyReport, article: int = 0) -> Any:
    """The article's one sourced quote."""
    return only([c for c in report.articles[article].claims if c.claim.kind == "quote" and c.claim.source])


# -- healthy, dead, removed ------------------------------------------------------------------------


def test_a_healthy_article_passes_and_leaves_the_archive_alone(case: Case, settings: FetchSettings) -> None:
    article = mayor(case)
    case.baseline("mayor", MAYOR_PAGE)
    before = sorted(
        (p.relative_to(case.archive), p.read_bytes()) for p in case.archive.rglob("*") if p.is_file()
    )

    report = run(case, article, settings=settings)

    assert report.exit_code == 0 and report.failures == []
    assert report.sources["mayor"].health == "ok"
    claim = quote_claim(report)
    assert (claim.outcome, claim.verdict.verdict) == ("pass", "verbatim")
    unsourced = only([c for c in report.articles[0].claims if c.claim.source is None])
    assert unsourced.outcome == "skip"
    after = sorted(
        (p.relative_to(case.archive), p.read_bytes()) for p in case.archive.rglob("*") if p.is_file()
    )
    assert after == before  # verify reads the archive, never writes it
    doc = json.loads(to_json(report))
    assert doc["schema"] == 1 and doc["failures"] == [] and doc["verify"]["exit_code"] == 0
    (source,) = doc["sources"]
    assert (source["status"], source["http_status"], source["health"]) == ("live", 200, "ok")


def test_a_dead_source_and_a_removed_quote_both_fail(case: Case, settings: FetchSettings) -> None:
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    case.baseline("mayor", MAYOR_PAGE)
    dead = case.server.url(f"{case.prefix}/gone")  # never set: 404
    case.source("council", dead, ["Leah Brandt"])
    council = case.article("council.txt", COUNCIL_ARTICLE)

    report = run(case, article, council, settings=settings)

    assert report.exit_code == 2
    by_source = {f.source: f for f in report.failures}
    assert set(by_source) == {"mayor", "council"}
    link = by_source["council"]
    assert link.claim is None and link.kind == "dead" and link.url == dead
    assert "404 Not Found" in link.reason
    assert f"/web/{WAYBACK_TIMESTAMP}/" in link.reason  # the Wayback suggestion
    removed = by_source["mayor"]
    assert removed.claim == quote_claim(report).claim.id and removed.kind == "removed"
    assert removed.reason.startswith("quote removed from the live page since 2024-05-01")
    # The claim on the dead link is skipped (the link failure says why), not failed twice.
    assert quote_claim(report, 1).outcome == "skip"
    failures = json.loads(to_json(report))["failures"]
    assert {(f["claim"], f["source"]) for f in failures} == {(removed.claim, "mayor"), (None, "council")}
    for failure in failures:
        assert {"claim", "source", "reason"} <= set(failure) and isinstance(failure["reason"], str)


def test_a_dead_link_without_a_snapshot_says_so(case: Case, settings: FetchSettings) -> None:
    case.source("council", case.server.url(f"{case.prefix}/no-snapshot"), ["Leah Brandt"])
    report = run(case, case.article("council.txt", COUNCIL_ARTICLE), settings=settings)
    failure = only(report.failures)
    assert failure.kind == "dead" and "no Wayback Machine snapshot" in failure.reason


def test_an_altered_quote_fails_as_altered(case: Case, settings: FetchSettings) -> None:
    article = mayor(case, MAYOR_PAGE.replace("before winter", "before next winter"))
    case.baseline("mayor", MAYOR_PAGE)
    failure = only(run(case, article, settings=settings).failures)
    assert failure.kind == "altered"
    assert failure.reason.startswith("quote altered on the live page since 2024-05-01")


def test_reported_speech_whose_passage_is_gone_fails(case: Case, settings: FetchSettings) -> None:
    url = case.page("mayor", MAYOR_PAGE.replace("and the river path will reopen in May", "and more later"))
    case.source("mayor", url, ["Tom Baker", "Mayor Tom Baker"])
    case.baseline("mayor", MAYOR_PAGE)
    article = case.article("path.txt", "Path\n\nMayor Tom Baker said the river path would reopen in May.\n")
    report = run(case, article, settings=settings)
    claim = only(report.articles[0].claims)
    assert claim.claim.kind == "reported" and claim.outcome == "fail"
    assert claim.drift is not None and claim.drift.baseline_verdict == "paraphrase"
    assert only(report.failures).reason.startswith(
        "supporting passage removed from the live page since 2024-05-01"
    )


def test_a_quote_absent_without_a_baseline_is_reported_not_failed(
    case: Case, settings: FetchSettings
) -> None:
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    report = run(case, article, settings=settings)
    assert report.exit_code == 0
    claim = quote_claim(report)
    assert claim.verdict.verdict == "not_found" and claim.outcome == "pass"
    assert "no archived copy holds these words" in claim.message


def test_a_secondary_copy_is_no_baseline(case: Case, settings: FetchSettings) -> None:
    # A copy rebuilt from news reproductions may repeat the article's own words: it proves nothing.
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    case.baseline("mayor", MAYOR_PAGE, strength="secondary")
    assert run(case, article, settings=settings).exit_code == 0


def test_drift_is_judged_against_the_newest_copy_that_held_the_quote(
    case: Case, settings: FetchSettings
) -> None:
    changed = MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    article = mayor(case, changed)
    case.baseline("mayor", MAYOR_PAGE)
    # A later capture of the changed page (as `check` would store) must not hide the drift.
    Archive(case.archive).add_copy(
        "mayor",
        changed.encode(),
        provenance="live",
        strength="original",
        note="",
        seen_at=[],
        kind="html",
        url=None,
        fetched_at="2024-06-01T10:00:00Z",
    )
    failure = only(run(case, article, settings=settings).failures)
    assert failure.reason.startswith("quote removed from the live page since 2024-05-01")


def test_a_live_page_that_can_no_longer_be_read_fails_when_the_quote_was_archived(
    case: Case, settings: FetchSettings
) -> None:
    article = mayor(case)
    case.server.set_page(f"{case.prefix}/mayor", b"\x89PNG\r\n\x1a\n" + bytes(200), content_type="image/png")
    case.baseline("mayor", MAYOR_PAGE)
    failure = only(run(case, article, settings=settings).failures)
    assert failure.kind == "unreadable" and "can no longer be read" in failure.reason


# -- link health -----------------------------------------------------------------------------------


def test_a_redirect_is_reported_with_its_final_url_and_passes(case: Case, settings: FetchSettings) -> None:
    final = case.page("new-home", MAYOR_PAGE)
    moved = case.server.url(f"/redirect?to={final}&code=301")
    registry_file = case.source("mayor", moved, ["Tom Baker", "Mayor Tom Baker"])
    report = run(case, case.article("bridge.txt", MAYOR_ARTICLE), settings=settings)

    assert report.exit_code == 0
    check = report.sources["mayor"]
    assert check.health == "redirected" and check.link is not None and check.link.final_url == final
    assert check.suggestion is not None
    assert "moved permanently" in check.suggestion and str(registry_file) in check.suggestion
    assert final in check.suggestion
    assert quote_claim(report).outcome == "pass"
    source = only(json.loads(to_json(report))["sources"])
    assert source["health"] == "redirected" and source["final_url"] == final
    assert source["redirects"] == [{"url": moved, "status": 301}]


def test_a_bot_wall_is_reported_and_fails_only_with_strict(case: Case, settings: FetchSettings) -> None:
    case.source("mayor", case.page("wall", "Access denied", status=403), ["Tom Baker", "Mayor Tom Baker"])
    article = case.article("bridge.txt", MAYOR_ARTICLE)

    report = run(case, article, settings=settings)
    assert report.exit_code == 0 and report.failures == []
    assert report.sources["mayor"].health == "blocked"
    assert "not a failure without --strict" in report.sources["mayor"].message
    assert quote_claim(report).outcome == "skip"

    strict = run(case, article, settings=settings, strict=True)
    assert strict.exit_code == 2
    assert only(strict.failures).kind == "blocked"


def test_accepted_status_is_healthy_but_its_body_is_not_the_document(
    case: Case, settings: FetchSettings
) -> None:
    article = mayor(case, "Too many requests")
    case.server.set_page(f"{case.prefix}/mayor", "Too many requests", status=429)
    case.baseline("mayor", MAYOR_PAGE)
    report = run(case, article, settings=replace(settings, accept_status=parse_accept("429")))
    assert report.exit_code == 0
    assert report.sources["mayor"].health == "ok"
    assert quote_claim(report).outcome == "skip"  # no drift from a rate-limit page


def test_a_timeout_fails(case: Case, settings: FetchSettings) -> None:
    case.source("mayor", case.server.url("/stall-headers"), ["Tom Baker", "Mayor Tom Baker"])
    report = run(
        case, case.article("bridge.txt", MAYOR_ARTICLE), settings=replace(settings, total_timeout=0.3)
    )
    assert only(report.failures).kind == "timeout" and report.exit_code == 2


def test_excluded_and_url_less_sources_are_reported_not_fetched(case: Case, settings: FetchSettings) -> None:
    case.source("mayor", case.page("mayor", MAYOR_PAGE), ["Tom Baker", "Mayor Tom Baker"])
    case.source("council", "", ["Leah Brandt"])
    case.baseline("council", "<html><body><p>The budget is balanced and fair.</p></body></html>")
    report = run(
        case,
        case.article("bridge.txt", MAYOR_ARTICLE),
        case.article("council.txt", COUNCIL_ARTICLE),
        settings=settings,
        exclude=compile_excludes([re.escape(case.prefix) + "/mayor$"]),
    )
    assert report.exit_code == 0 and case.hits("mayor") == 0
    assert report.sources["mayor"].health == "excluded"
    council = report.sources["council"]
    assert council.health == "no_url" and council.outcome == "skip"
    # No URL: the verdict comes from the archived copy, and the claim is not a failure either way.
    claim = quote_claim(report, 1)
    assert claim.verdict.verdict == "verbatim" and claim.outcome == "skip"
    doc = json.loads(to_json(report))
    statuses = {s["id"]: s["status"] for s in doc["sources"]}
    assert statuses == {"mayor": "unavailable", "council": "archived"}


def test_a_deleted_tweet_is_dead(case: Case, settings: FetchSettings) -> None:
    case.source(
        "baker-tweet",
        "https://twitter.com/deleted/status/1111111111",
        ["Tom Baker", "Mayor Tom Baker"],
        kind="tweet",
    )
    report = run(case, case.article("bridge.txt", MAYOR_ARTICLE), settings=settings)
    failure = only(report.failures)
    assert failure.kind == "dead" and "tweet is deleted" in failure.reason


# -- several articles, folders ---------------------------------------------------------------------


def test_several_articles_sharing_a_url_fetch_it_once(case: Case, settings: FetchSettings) -> None:
    mayor(case)
    second = case.article(
        "budget.txt",
        'Budget\n\n"Nobody should worry about the budget for the repairs," said Mayor Tom Baker.\n',
    )
    report = run(case, case.root / "articles", second, settings=settings)  # a folder and a file in it

    assert len(report.articles) == 2  # the article given twice is verified once
    assert case.hits("mayor") == 1
    assert report.exit_code == 0
    doc = json.loads(to_json(report))
    assert [len(a["claims"]) > 0 for a in doc["articles"]] == [True, True]
    assert only(doc["sources"])["articles"] == [str(p) for p in sorted((case.root / "articles").iterdir())]
    assert doc["failures"] == [] and doc["verify"]["claims"]["pass"] == 2


def test_multi_article_failures_name_their_article(case: Case, settings: FetchSettings) -> None:
    mayor(case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and"))
    case.baseline("mayor", MAYOR_PAGE)
    other = case.article("other.txt", "Other\n\nThe weather was fine.\n")
    doc = json.loads(to_json(run(case, case.root / "articles" / "bridge.txt", other, settings=settings)))
    failure = only(doc["failures"])
    assert failure["articles"] == [str(case.root / "articles" / "bridge.txt")]
    by_path = {a["article"]["path"]: a["failures"] for a in doc["articles"]}
    assert by_path[str(other)] == [] and only(by_path[failure["articles"][0]])["claim"] == failure["claim"]


def test_expand_articles(tmp_path: Path) -> None:
    (tmp_path / "b.md").write_text("B")
    (tmp_path / "a.txt").write_text("A")
    (tmp_path / "a.meta.toml").write_text("")
    (tmp_path / "nested").mkdir()
    (tmp_path / "nested" / "c.txt").write_text("C")
    assert expand_articles([str(tmp_path)]) == [str(tmp_path / "a.txt"), str(tmp_path / "b.md")]
    assert expand_articles([]) == [None]
    assert expand_articles(["-", "https://example.org/x"]) == ["-", "https://example.org/x"]
    (tmp_path / "empty").mkdir()
    with pytest.raises(FactcheckError, match="no articles in this folder"):
        expand_articles([str(tmp_path / "empty")])


# -- the cache -------------------------------------------------------------------------------------


def test_cached_successes_make_no_request_and_failures_are_never_cached(
    case: Case, settings: FetchSettings
) -> None:
    article = mayor(case)
    case.source("council", case.server.url(f"{case.prefix}/gone"), ["Leah Brandt"])
    council = case.article("council.txt", COUNCIL_ARTICLE)
    cache = case.root / "verify-cache.json"

    first = run(case, article, council, settings=settings, cache_path=cache)
    assert (case.hits("mayor"), case.hits("gone")) == (1, 1)
    stored = json.loads(cache.read_text())
    assert [e["url"] for e in stored["links"].values()] == [case.server.url(f"{case.prefix}/mayor")]

    second = run(case, article, council, settings=settings, cache_path=cache)
    assert case.hits("mayor") == 1  # no request for the cached success
    assert case.hits("gone") == 2  # the failure was fetched again
    claim = quote_claim(second)
    assert claim.cached and (claim.outcome, claim.verdict.verdict) == ("pass", "verbatim")
    assert second.sources["mayor"].link is not None and second.sources["mayor"].link.cached
    assert [f.source for f in second.failures] == [f.source for f in first.failures] == ["council"]
    assert second.requests == 1

    # Too old: fetched again.
    run(case, article, settings=settings, cache_path=cache, max_cache_age=0)
    assert case.hits("mayor") == 2


def test_a_claim_failure_keeps_its_link_out_of_the_cache(case: Case, settings: FetchSettings) -> None:
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    case.baseline("mayor", MAYOR_PAGE)
    cache = case.root / "cache.json"
    assert run(case, article, settings=settings, cache_path=cache).exit_code == 2
    assert run(case, article, settings=settings, cache_path=cache).exit_code == 2
    assert case.hits("mayor") == 2
    assert json.loads(cache.read_text())["links"] == {}


def test_a_new_claim_on_a_cached_link_fetches_it_again(case: Case, settings: FetchSettings) -> None:
    article = mayor(case)
    cache = case.root / "cache.json"
    run(case, article, settings=settings, cache_path=cache)
    article.write_text(
        MAYOR_ARTICLE + '\n"Nobody should worry about the budget," said Mayor Tom Baker.\n', encoding="utf-8"
    )
    report = run(case, article, settings=settings, cache_path=cache)
    assert case.hits("mayor") == 2
    assert all(c.outcome == "pass" for c in report.articles[0].claims if c.claim.source)


def test_a_corrupt_cache_is_reported_ignored_and_replaced(case: Case, settings: FetchSettings) -> None:
    article = mayor(case)
    cache = case.root / "cache.json"
    cache.write_text('{"schema": 1, "links": {"page x": {"url": 5}}, "claims": {}}')
    warnings: list[str] = []
    report = verify(
        [str(article)],
        case.registry,
        VerifyOptions(settings=settings, cache_path=cache),
        warn=warnings.append,
    )
    assert report.exit_code == 0
    assert any("corrupt cache ignored" in w and str(cache) in w for w in warnings)
    assert json.loads(cache.read_text())["schema"] == 1  # replaced by a valid cache

    cache.write_bytes(b"\x00\xff not json")
    warnings.clear()
    verify(
        [str(article)],
        case.registry,
        VerifyOptions(settings=settings, cache_path=cache),
        warn=warnings.append,
    )
    assert len(warnings) == 1 and "corrupt cache" in warnings[0]


def test_an_unwritable_cache_is_a_warning_not_an_error(case: Case, settings: FetchSettings) -> None:
    article = mayor(case)
    blocker = case.root / "file"
    blocker.write_text("")
    warnings: list[str] = []
    options = VerifyOptions(settings=settings, cache_path=blocker / "cache.json")
    report = verify([str(article)], case.registry, options, warn=warnings.append)
    assert report.exit_code == 0 and any("cannot write the cache" in w for w in warnings)


# -- outputs ---------------------------------------------------------------------------------------


def failing_report(case: Case, settings: FetchSettings) -> VerifyReport:
    """A dead link, a removed quote, a blocked link and an unsourced claim."""
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    case.baseline("mayor", MAYOR_PAGE)
    case.source("council", case.server.url(f"{case.prefix}/gone"), ["Leah Brandt"])
    case.source("police", case.page("wall", "denied", status=403), ["Ann Lee", "Chief Ann Lee"])
    council = case.article(
        "council.txt",
        COUNCIL_ARTICLE + '\n"Crime fell <sharply> & fast," said Chief Ann Lee.\n',
    )
    return run(case, article, council, settings=settings)


def test_junit_is_valid_xml_with_one_testcase_per_claim_and_link(case: Case, settings: FetchSettings) -> None:
    report = failing_report(case, settings)
    root = ET.fromstring(to_junit(report))

    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["links", *[a.label for a in report.articles]]
    links = suites[0].findall("testcase")
    assert len(links) == len(report.sources) == 3
    n_claims = sum(len(a.claims) for a in report.articles)
    assert sum(len(s.findall("testcase")) for s in suites[1:]) == n_claims
    assert root.get("tests") == str(len(links) + n_claims)
    assert root.get("failures") == str(len(report.failures)) == "2"
    for suite in suites:
        cases = suite.findall("testcase")
        assert suite.get("tests") == str(len(cases))
        assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))
        assert suite.get("skipped") == str(sum(1 for c in cases if c.find("skipped") is not None))
    failed = {
        c.get("name", "").split()[0]: c.find("failure")
        for c in root.iter("testcase")
        if c.find("failure") is not None
    }
    assert set(failed) == {"council", quote_claim(report).claim.id}
    dead = failed["council"]
    assert dead is not None and dead.get("type") == "dead" and "404 Not Found" in (dead.get("message") or "")
    removed = failed[quote_claim(report).claim.id]
    assert removed is not None and (removed.get("message") or "").startswith(
        "quote removed from the live page"
    )
    blocked = only([c for c in links if c.get("name", "").startswith("police ")])
    assert blocked.find("skipped") is not None and blocked.find("failure") is None
    assert all(c.get("file") for c in links)  # the registry file, for annotations
    names = [c.get("name", "") for c in root.iter("testcase")]
    assert any("<sharply> & fast" in name for name in names)  # escaped, and back intact


def test_markdown_lists_failures_and_links(case: Case, settings: FetchSettings) -> None:
    markdown = to_markdown(failing_report(case, settings))
    assert markdown.startswith("## factcheck verify: ✘ 2 failures: 1 link, 1 claim")
    failures = markdown.split("### Failures", 1)[1].split("### Links", 1)[0]
    assert "✘ dead" in failures and "quote removed from the live page since 2024-05-01" in failures
    assert "⊘ blocked" in markdown and "<details>" in markdown
    assert "\\<sharply\\>" in markdown  # markup in claims is escaped


def test_text_output_names_every_link_and_the_failures(case: Case, settings: FetchSettings) -> None:
    text = render(failing_report(case, settings), "text")
    assert re.search(r"✘ dead\s+council", text) and re.search(r"⊘ blocked\s+police", text)
    assert "✘ 2 failures: 1 link, 1 claim" in text
    assert "quote removed from the live page since 2024-05-01" in text


def test_the_step_summary_is_appended(
    case: Case, settings: FetchSettings, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    article = mayor(case)
    summary = case.root / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    code = run_verify_command(
        [str(article)], case.registry, fmt="json", options=VerifyOptions(settings=settings)
    )
    assert code == 0
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("# Earlier step\n## factcheck verify: ✔ no failures")
    out, err = capsys.readouterr()
    assert json.loads(out)["failures"] == [] and err == ""


def test_output_file_is_written_and_stdout_stays_empty(
    case: Case, settings: FetchSettings, capsys: pytest.CaptureFixture[str]
) -> None:
    article = mayor(case)
    target = case.root / "out" / "report.xml"
    code = run_verify_command(
        [str(article)],
        case.registry,
        fmt="junit",
        output=target,
        options=VerifyOptions(settings=settings),
        step_summary="",
    )
    assert code == 0
    ET.fromstring(target.read_text(encoding="utf-8"))
    assert capsys.readouterr().out == ""


def test_missing_sources_folder_is_bad_input(tmp_path: Path, settings: FetchSettings) -> None:
    article = tmp_path / "a.txt"
    article.write_text(MAYOR_ARTICLE)
    with pytest.raises(FactcheckError, match="sources folder does not exist"):
        verify([str(article)], tmp_path / "no-such-folder", VerifyOptions(settings=settings))


# -- option parsers --------------------------------------------------------------------------------


def test_parse_accept_takes_lychee_ranges() -> None:
    assert parse_accept("200, 206,429") == {200, 206, 429}
    assert parse_accept("200..=204") == {200, 201, 202, 203, 204}
    assert parse_accept("200..203") == {200, 201, 202}
    assert parse_accept("..=101") == {100, 101}
    assert parse_accept("200..=399") == set(range(200, 300))  # redirects are always followed
    for bad in ("abc", "99", "204..=200", "200-204", "600"):
        with pytest.raises(ValueError):
            parse_accept(bad)


def test_parse_duration() -> None:
    assert parse_duration("3600") == 3600
    assert parse_duration("1d") == 86400
    assert parse_duration("1d 12h") == 86400 + 12 * 3600
    assert parse_duration("30m") == 1800
    assert parse_duration("0") == 0
    for bad in ("", "soon", "1 fortnight", "1d!"):
        with pytest.raises(ValueError):
            parse_duration(bad)


def test_compile_excludes_rejects_bad_patterns() -> None:
    assert compile_excludes(["example\\.org"])[0].search("https://example.org/x")
    with pytest.raises(ValueError, match="not a regular expression"):
        compile_excludes(["("])


# -- the command line ------------------------------------------------------------------------------


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["verify", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def cli_fetch_args(server: Server) -> list[str]:
    return [
        "--max-retries",
        "0",
        "--timeout",
        "2",
        "--wayback-url",
        server.url(""),
        "--oembed-url",
        server.url("/oembed"),
    ]


def test_cli_exit_codes_and_json_on_stdout(case: Case) -> None:
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    common = [str(article), "--sources", str(case.registry), *cli_fetch_args(case.server)]
    code, out, err = invoke(*common, "--format", "json", env={"GITHUB_STEP_SUMMARY": ""})
    assert code == 0, err
    assert json.loads(out)["failures"] == []
    case.baseline("mayor", MAYOR_PAGE)
    code, out, err = invoke(*common, "--format", "json", env={"GITHUB_STEP_SUMMARY": ""})
    assert code == 2
    assert only(json.loads(out)["failures"])["source"] == "mayor"
    assert "1 failure" in err and "Traceback" not in err


def test_cli_bad_input_exits_1_with_one_line(case: Case) -> None:
    article = case.article("a.txt", MAYOR_ARTICLE)
    cases = [
        [str(article), "--sources", str(case.root / "no-such-folder"), "--format", "json"],
        [str(article), "--accept", "20x"],
        [str(article), "--exclude", "("],
        [str(article), "--max-cache-age", "soon"],
        [str(article), "--fail-on", "nonsense"],
        [str(case.root / "missing.txt")],
    ]
    for args in cases:
        code, out, err = invoke(*args, env={"GITHUB_STEP_SUMMARY": ""})
        assert code == 1, (args, err)
        assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_cli_fail_on_and_accept(case: Case) -> None:
    article = mayor(
        case, MAYOR_PAGE.replace("We will rebuild the bridge before winter, and", "Work goes on and")
    )
    common = [str(article), "--sources", str(case.registry), *cli_fetch_args(case.server)]
    code, _, _ = invoke(*common, "--fail-on", "not_found", env={"GITHUB_STEP_SUMMARY": ""})
    assert code == 2
    case.server.set_page(f"{case.prefix}/mayor", "slow down", status=429)
    code, out, _ = invoke(*common, "--strict", "--accept", "429", env={"GITHUB_STEP_SUMMARY": ""})
    assert code == 0, out
