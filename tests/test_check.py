"""``factcheck check`` and ``factcheck report`` end to end: the bundled case offline, and live checks
against a real HTTP server on 127.0.0.1 (pytest-httpserver)."""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pytest_httpserver import HTTPServer

from factcheck.archive import Archive
from factcheck.cli import cli
from factcheck.fetch import FetchSettings
from factcheck.pipeline import CheckResult, check
from factcheck.review import ReviewFile, default_review_path


@pytest.fixture
def fast(httpserver: HTTPServer) -> FetchSettings:
    """Small timeouts, no retries, and the Wayback and oEmbed endpoints on loopback: no test goes online."""
    return replace(
        FetchSettings(),
        connect_timeout=1.0,
        read_timeout=1.0,
        total_timeout=2.0,
        max_retries=0,
        wayback_url=httpserver.url_for("/wayback").rstrip("/"),
        oembed_url=httpserver.url_for("/oembed"),
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture(scope="module")
def bundled() -> CheckResult:
    return check(None, None, offline=True)


def verdicts_by_quote(result: CheckResult) -> dict[str, str]:
    return {
        (c.quote or c.figure or c.statement or "")[:30]: result.verdicts[c.id].verdict for c in result.claims
    }


# --------------------------------------------------------------------------------------------
# The bundled case, offline


def test_state_department_quotes_are_verbatim_from_the_reproduction(bundled: CheckResult) -> None:
    for claim in bundled.claims:
        if claim.kind == "quote" and claim.source == "state-department-2019-01-17":
            verdict = bundled.verdicts[claim.id]
            assert verdict.verdict == "verbatim"
            assert "reproduction" in verdict.reason
            assert verdict.evidence is not None
            assert claim.quote is not None and claim.quote.strip(",.") in verdict.evidence.text


def test_sources_without_a_copy_are_unavailable_never_not_found(bundled: CheckResult) -> None:
    for claim in bundled.claims:
        if claim.source in {"jeremy-hunt-tweet-2019-01", "moscow-times-prilutskaya-2019-01"}:
            verdict = bundled.verdicts[claim.id]
            assert verdict.verdict == "unavailable", claim.text
            assert "no URL known and no archived copy" in verdict.reason
    assert "not_found" not in {v.verdict for v in bundled.verdicts.values()}


def test_russian_lgbt_network_statistics_are_paraphrase_with_evidence(bundled: CheckResult) -> None:
    stats = [c for c in bundled.claims if c.kind == "statistic"]
    assert len(stats) == 2
    for claim in stats:
        verdict = bundled.verdicts[claim.id]
        assert verdict.verdict == "paraphrase"
        assert verdict.evidence is not None and verdict.evidence.source == "russian-lgbt-network-2019-01-14"
        assert "secondary copy" in verdict.reason
    evidence = {c.figure: bundled.verdicts[c.id].evidence.text for c in stats}  # type: ignore[union-attr]
    assert "around 40 people" in evidence["around 40 people"]
    assert "At least two people" in evidence["at least two people"]


def test_absence_from_a_partial_copy_is_not_evidence(bundled: CheckResult) -> None:
    (osce,) = [c for c in bundled.claims if c.source == "osce-moscow-mechanism-2018-12"]
    verdict = bundled.verdicts[osce.id]
    assert verdict.verdict in {"paraphrase", "unavailable"}
    assert "partial" in verdict.reason


def test_unsourced_claims_stay_unsourced(bundled: CheckResult) -> None:
    unsourced = [c for c in bundled.claims if c.source is None]
    assert unsourced and all(bundled.verdicts[c.id].verdict == "unsourced" for c in unsourced)


def test_check_json_contract_and_sources() -> None:
    code, out, err = run("check", "--offline", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    statuses = {s["id"]: (s["status"], s["provenance"]) for s in doc["sources"]}
    assert statuses["state-department-2019-01-17"] == ("archived", "reproduction")
    assert statuses["osce-moscow-mechanism-2018-12"] == ("archived", "partial")
    assert statuses["jeremy-hunt-tweet-2019-01"] == ("unavailable", None)
    for claim in doc["claims"]:
        assert claim["verdict"] in doc["summary"]
        if claim["evidence"]:
            assert {"text", "start", "end", "page"} <= set(claim["evidence"])


def test_fail_on_exits_2_and_names_the_claims() -> None:
    code, _, err = run("check", "--offline", "--format", "json", "--fail-on", "unavailable")
    assert code == 2
    assert "matched --fail-on unavailable" in err
    code, _, _ = run("check", "--offline", "--format", "json", "--fail-on", "altered,not_found")
    assert code == 0


def test_fail_on_rejects_unknown_verdicts() -> None:
    code, out, err = run("check", "--offline", "--fail-on", "wrong")
    assert code == 1 and out == "" and "unknown verdict wrong" in err


# --------------------------------------------------------------------------------------------
# Custom cases against a live loopback server


def _case(tmp_path: Path, httpserver: HTTPServer, pages: dict[str, tuple[str, str]], article: str) -> Path:
    """A registry of ``id -> (speaker, page text)`` served from loopback, and an article file."""
    registry = tmp_path / "sources"
    registry.mkdir()
    for source_id, (speaker, text) in pages.items():
        httpserver.expect_request(f"/{source_id}").respond_with_data(
            f"<html><body><article><p>{text}</p></article></body></html>",
            content_type="text/html; charset=utf-8",
        )
        (registry / f"{source_id}.toml").write_text(
            f'speakers = ["{speaker}"]\nurl = "{httpserver.url_for("/" + source_id)}"\n', encoding="utf-8"
        )
    path = tmp_path / "story.txt"
    path.write_text(article, encoding="utf-8")
    return path


def _check(path: Path, tmp_path: Path, settings: FetchSettings, **kw: Any) -> CheckResult:
    return check(str(path), tmp_path / "sources", tmp_path / "archive", settings=settings, **kw)


def test_live_verdicts_altered_not_found_and_misattributed(
    tmp_path: Path, httpserver: HTTPServer, fast: FetchSettings
) -> None:
    pages = {
        "mayor": (
            "Tom Baker",
            "We will rebuild the bridge within two years, and we will not raise taxes to do it.",
        ),
        "council": ("Leah Brandt", "The engineers found the supports in better condition than feared."),
    }
    article = (
        "Bridge\n\n"
        '"We will rebuild the bridge within three years," said Tom Baker.\n\n'
        '"We will raise taxes to do it," Baker added.\n\n'
        '"The supports were in better condition than feared," Baker said on Monday.\n\n'
        '"The engineers found the supports in better condition than feared," said Tom Baker.\n'
    )
    result = _check(_case(tmp_path, httpserver, pages, article), tmp_path, fast)
    got = verdicts_by_quote(result)
    assert got["We will rebuild the bridge wit"] == "altered"  # two → three years
    assert "number" in result.verdicts[result.claims[0].id].reason
    assert got["We will raise taxes to do it,"] == "altered"  # "not" dropped
    assert got["The supports were in better co"] == "not_found"
    assert got["The engineers found the suppor"] == "misattributed"
    misattributed = next(v for v in result.verdicts.values() if v.verdict == "misattributed")
    assert misattributed.found_in == "council"
    assert {s.id: result.read[s.id].acquired.status for s in result.sources} == {
        "mayor": "live",
        "council": "live",
    }
    from factcheck.report import to_markdown

    # The report marks differences where there are some: not under a quote found word for word elsewhere.
    sections = to_markdown(result).split("\n### ")
    altered = next(s for s in sections if "rebuild the bridge" in s)
    verbatim_elsewhere = next(s for s in sections if s.startswith("4. "))
    assert "**Differences:**" in altered and "~~two~~" in altered
    assert "**Differences:**" not in verbatim_elsewhere


def test_dead_link_without_archive_is_unavailable(
    tmp_path: Path, httpserver: HTTPServer, fast: FetchSettings
) -> None:
    path = _case(tmp_path, httpserver, {}, 'T\n\n"We will rebuild the bridge," said Tom Baker.\n')
    (tmp_path / "sources" / "mayor.toml").write_text(
        f'speakers = ["Tom Baker"]\nurl = "{httpserver.url_for("/gone")}"\n', encoding="utf-8"
    )
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    # The Wayback Machine (on loopback) has no snapshot either.
    httpserver.expect_request("/wayback/web/" + httpserver.url_for("/gone")).respond_with_data("", status=404)
    result = _check(path, tmp_path, fast)
    (verdict,) = result.verdicts.values()
    assert verdict.verdict == "unavailable"
    assert "404" in verdict.reason and "no Wayback snapshot" in verdict.reason
    assert [r.url for r, _ in httpserver.log][-1].endswith("/wayback/web/" + httpserver.url_for("/gone"))


def test_live_capture_is_archived_and_read_offline_later(
    tmp_path: Path, httpserver: HTTPServer, fast: FetchSettings
) -> None:
    path = _case(
        tmp_path,
        httpserver,
        {"mayor": ("Tom Baker", "We will rebuild the bridge.")},
        'T\n\n"We will rebuild the bridge," said Tom Baker.\n',
    )
    first = _check(path, tmp_path, fast)
    assert [v.verdict for v in first.verdicts.values()] == ["verbatim"]
    httpserver.clear()
    offline = _check(path, tmp_path, fast, offline=True)
    (verdict,) = offline.verdicts.values()
    assert verdict.verdict == "verbatim" and "archived copy of" in verdict.reason


# --------------------------------------------------------------------------------------------
# Reports


def _bundled_reviews(tmp_path: Path, result: CheckResult) -> Path:
    path = tmp_path / "bundled.review.json"
    store = ReviewFile.load(path, clock=lambda: "2026-02-03T04:05:06+00:00")
    quote = next(c for c in result.claims if c.source == "state-department-2019-01-17" and c.kind == "quote")
    store.confirm(quote.id, "verbatim")
    hunt = next(c for c in result.claims if c.source == "jeremy-hunt-tweet-2019-01" and c.kind == "quote")
    store.override(hunt.id, "minor", "unavailable")
    store.set_note(hunt.id, "Checked against a screenshot of the tweet.", "unavailable")
    return path


def test_report_markdown_shows_decisions_beside_machine_verdicts(
    tmp_path: Path, bundled: CheckResult
) -> None:
    reviews = _bundled_reviews(tmp_path, bundled)
    code, out, err = run("report", "--offline", "--review-file", str(reviews))
    assert code == 0, err
    assert out.startswith("# Fact-check: Putin accused of allowing Chechnya LGBTI purge")
    assert "**Reviewed:** 2 of 16 (1 overridden)" in out
    assert "overridden to **≈ minor differences** (machine: ∅ unavailable)" in out
    assert "Checked against a screenshot of the tweet." in out
    assert "| state-department-2019-01-17<br>Attacks on LGBTI Community in Chechnya | archived |" in out


def test_report_json_carries_reviews(tmp_path: Path, bundled: CheckResult) -> None:
    reviews = _bundled_reviews(tmp_path, bundled)
    code, out, _ = run("report", "--offline", "--format", "json", "--review-file", str(reviews))
    assert code == 0
    doc = json.loads(out)
    reviewed = [c for c in doc["claims"] if c["review"]]
    assert len(reviewed) == 2 and doc["reviewed"] == 2
    assert {c["review"]["action"] for c in reviewed} == {"confirmed", "overridden"}


def test_claimreview_has_the_required_fields(tmp_path: Path, bundled: CheckResult) -> None:
    reviews = _bundled_reviews(tmp_path, bundled)
    code, out, _ = run(
        "report",
        "--offline",
        "--format",
        "claimreview",
        "--review-file",
        str(reviews),
        "--organization",
        "Riverton Fact Desk",
        "--organization-url",
        "https://facts.example.org",
    )
    assert code == 0
    doc = json.loads(out)
    assert doc["@context"] == "https://schema.org"
    reviews_ld = doc["@graph"]
    assert len(reviews_ld) == len(bundled.claims)
    for item in reviews_ld:
        assert item["@type"] == "ClaimReview"
        for key in ("url", "claimReviewed", "itemReviewed", "reviewRating", "author", "datePublished"):
            assert item[key], key
        assert item["itemReviewed"]["@type"] == "Claim"
        assert item["itemReviewed"]["appearance"]["url"].startswith("https://www.mambaonline.com/")
        assert item["reviewRating"]["alternateName"]
        assert item["author"] == {
            "@type": "Organization",
            "name": "Riverton Fact Desk",
            "url": "https://facts.example.org",
        }
        if "ratingValue" in item["reviewRating"]:
            assert 1 <= item["reviewRating"]["ratingValue"] <= 5
    # The reviewer's override wins over the machine's verdict.
    names = [i["reviewRating"]["alternateName"] for i in reviews_ld]
    assert "Accurate quote with minor differences" in names


def test_report_refuses_a_corrupt_review_file(tmp_path: Path) -> None:
    broken = tmp_path / "x.review.json"
    broken.write_text("{broken")
    code, out, err = run("report", "--offline", "--review-file", str(broken))
    assert code == 1 and out == "" and "x.review.json" in err
    assert broken.read_text() == "{broken"


def test_report_writes_a_file_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out" / "report.md"
    code, out, _ = run("report", "--offline", "-o", str(target))
    assert code == 0 and out == ""
    assert target.read_text(encoding="utf-8").startswith("# Fact-check:")
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]


def test_check_reads_the_default_review_file_beside_the_article(tmp_path: Path) -> None:
    article = tmp_path / "story.txt"
    article.write_text('T\n\n"We will rebuild the bridge," said Tom Baker.\n')
    path = default_review_path(str(article), None, bundled=False)
    result = check(str(article), tmp_path, offline=True)
    (claim,) = result.claims
    ReviewFile.load(path).override(claim.id, "verbatim", "unsourced")
    code, out, _ = run(
        "check",
        str(article),
        "--sources",
        str(tmp_path),
        "--offline",
        "--format",
        "json",
        "--fail-on",
        "unsourced",
    )
    assert code == 0  # the reviewer's verdict counts for --fail-on
    assert json.loads(out)["claims"][0]["review"]["verdict"] == "verbatim"


def test_archive_command_captures_every_cited_source(
    tmp_path: Path, httpserver: HTTPServer, fast: FetchSettings
) -> None:
    path = _case(
        tmp_path,
        httpserver,
        {"mayor": ("Tom Baker", "We will rebuild the bridge.")},
        'T\n\n"We will rebuild the bridge," said Tom Baker.\n',
    )
    archive_dir = tmp_path / "archive"
    code, out, err = run(
        "archive",
        str(path),
        "--sources",
        str(tmp_path / "sources"),
        "--archive",
        str(archive_dir),
        "--format",
        "json",
        "--wayback-url",
        fast.wayback_url,
        "--timeout",
        "2",
    )
    assert code == 0, err
    (row,) = json.loads(out)["sources"]
    assert (row["id"], row["status"], row["http_status"], row["provenance"]) == ("mayor", "live", 200, "live")
    captures = json.loads((archive_dir / "captures" / "mayor.json").read_text())
    assert captures["captures"][0]["sha256"] == row["sha256"]
    code, out, _ = run(
        "archive", str(path), "--sources", str(tmp_path / "sources"), "--archive", str(archive_dir)
    )
    assert code == 0 and out.startswith("mayor: live 200, live (original) sha256:")


@pytest.mark.parametrize("how", ["flag", "environment"])
def test_block_private_refuses_loopback_sources(
    tmp_path: Path, httpserver: HTTPServer, fast: FetchSettings, how: str
) -> None:
    path = _case(
        tmp_path,
        httpserver,
        {"mayor": ("Tom Baker", "We will rebuild the bridge.")},
        'T\n\n"We will rebuild the bridge," said Tom Baker.\n',
    )
    args = [
        "check",
        str(path),
        "--sources",
        str(tmp_path / "sources"),
        "--archive",
        str(tmp_path / "a"),
        "--format",
        "json",
        "--wayback-url",
        fast.wayback_url,
    ]
    env = {"FACTCHECK_BLOCK_PRIVATE": "1"} if how == "environment" else {}
    result = CliRunner().invoke(cli, [*args, "--block-private"] if how == "flag" else args, env=env)
    assert result.exit_code == 0, result.stderr
    doc = json.loads(result.stdout)
    (source,) = doc["sources"]
    assert source["status"] == "unavailable"
    assert "refused" in source["error"] and "127.0.0.1" in source["error"]
    assert doc["claims"][0]["verdict"] == "unavailable"
    assert len(httpserver.log) == 0  # nothing reached the server


SNAPSHOTS = Path(__file__).parent / "snapshots"


def test_markdown_report_snapshot(tmp_path: Path, bundled: CheckResult) -> None:
    """The whole Markdown report of the bundled case, with two review decisions, at a fixed time."""
    from factcheck.report import to_markdown

    reviews = ReviewFile.load(_bundled_reviews(tmp_path, bundled))
    fixed = replace(bundled, checked_at="2026-02-03T10:00:00+00:00")
    text = to_markdown(fixed, reviews)
    snapshot = SNAPSHOTS / "bundled-report.md"
    if os.environ.get("FACTCHECK_UPDATE_SNAPSHOTS"):
        snapshot.write_text(text, encoding="utf-8")
    assert text == snapshot.read_text(encoding="utf-8"), (
        "run with FACTCHECK_UPDATE_SNAPSHOTS=1 and review the diff"
    )


def test_refetch_one_source_judges_every_claim_again(
    tmp_path: Path, httpserver: HTTPServer, fast: FetchSettings
) -> None:
    from factcheck.pipeline import refetch

    path = _case(
        tmp_path,
        httpserver,
        {"mayor": ("Tom Baker", "We will rebuild the bridge next year.")},
        'T\n\n"We will rebuild the bridge next spring," said Tom Baker.\n',
    )
    first = _check(path, tmp_path, fast)
    assert [v.verdict for v in first.verdicts.values()] == ["altered"]
    httpserver.clear()
    httpserver.expect_request("/mayor").respond_with_data(
        "<html><body><p>We will rebuild the bridge next spring.</p></body></html>", content_type="text/html"
    )
    again = refetch(first, "mayor", tmp_path / "archive", settings=fast)
    assert [v.verdict for v in again.verdicts.values()] == ["verbatim"]
    assert len(Archive(tmp_path / "archive").captures("mayor")) == 2
