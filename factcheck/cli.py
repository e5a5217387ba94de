"""The ``factcheck`` command line: thin wrappers that parse options and call the headless pipeline.

Exit codes (as lychee): 0 ran and nothing failed; 1 bad input, configuration or unexpected error;
2 a check failed (``verify`` found a failing link or quote, or ``check --fail-on`` matched).
Heavy modules are imported inside the commands so that ``factcheck --help`` stays fast.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from factcheck import __version__
from factcheck.errors import FactcheckError

F = TypeVar("F", bound=Callable[..., Any])
EXIT_OK, EXIT_ERROR, EXIT_FAILED = 0, 1, 2
_DEBUG_KEY = "factcheck.debug"


def _one_line(message: str) -> str:
    return " ".join(message.split())


class FactcheckGroup(click.Group):
    """A click group whose errors are one line and exit 1 (click uses 2, reserved for failed checks)."""

    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except click.UsageError as err:
            raise self._usage(err) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as err:
            raise self._usage(err) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except FactcheckError as err:
            if ctx.meta.get(_DEBUG_KEY):
                raise
            raise click.ClickException(_one_line(str(err))) from None
        except KeyboardInterrupt:
            raise click.exceptions.Exit(130) from None
        except BrokenPipeError:
            raise click.exceptions.Exit(EXIT_OK) from None
        except Exception as err:
            if ctx.meta.get(_DEBUG_KEY):
                raise
            raise click.ClickException(
                _one_line(
                    f"unexpected error: {type(err).__name__}: {err} (run with --debug for the traceback)"
                )
            ) from None

    @staticmethod
    def _usage(err: click.UsageError) -> click.ClickException:
        hint = f" (see '{err.ctx.command_path} --help')" if err.ctx is not None else ""
        return click.ClickException(_one_line(err.format_message()) + hint)


def _set_debug(ctx: click.Context, _param: click.Parameter, value: bool) -> bool:
    if value:
        ctx.meta[_DEBUG_KEY] = True
    return value


def debug_option(func: F) -> F:
    """``--debug``: show tracebacks for unexpected errors (also FACTCHECK_DEBUG=1)."""
    return click.option(
        "--debug",
        is_flag=True,
        envvar="FACTCHECK_DEBUG",
        expose_value=False,
        is_eager=True,
        callback=_set_debug,
        help="Show a traceback for unexpected errors.",
    )(func)


def article_argument(func: F) -> F:
    return click.argument("article", required=False, metavar="[ARTICLE]")(func)


def sources_option(func: F) -> F:
    return click.option(
        "--sources",
        "sources_dir",
        type=click.Path(path_type=Path),
        default=None,
        help="Source registry folder (one <id>.toml per cited source). Default: the bundled case's.",
    )(func)


@click.group(cls=FactcheckGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="factcheck")
@debug_option
def cli() -> None:
    """Find attributed claims in a news article and check them against the cited originals.

    ARTICLE is a .txt (first line is the title), .md or .html file, '-' for stdin, or an http(s)
    URL. Without ARTICLE, factcheck runs on its bundled case (MambaOnline, 21 January 2019).
    """


@cli.command()
@article_argument
@sources_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="Output format; json prints only JSON on stdout.",
)
@debug_option
def extract(article: str | None, sources_dir: Path | None, fmt: str) -> None:
    """List every attributed claim in ARTICLE and the source it is linked to (no fetching)."""
    from factcheck.pipeline import extract as run_extract
    from factcheck.report import print_claims_table, to_json, write_stdout

    result = run_extract(article, sources_dir)
    if fmt == "json":
        write_stdout(to_json(result))
    else:
        print_claims_table(result)


def archive_option(func: F) -> F:
    return click.option(
        "--archive",
        "archive_dir",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        help="Archive folder. Default: archive/ inside the sources folder.",
    )(func)


def offline_option(func: F) -> F:
    return click.option("--offline", is_flag=True, help="Read the archive only; fetch nothing.")(func)


def output_option(func: F) -> F:
    return click.option(
        "-o",
        "--output",
        type=click.Path(path_type=Path, dir_okay=False),
        default=None,
        help="Write to FILE (atomically) instead of stdout.",
    )(func)


def fetch_options(func: F) -> F:
    """Options of the HTTP fetcher shared by every command that fetches."""
    options = [
        click.option(
            "--timeout",
            type=click.FloatRange(min=0.1),
            default=None,
            help="Seconds allowed per request, body included (default 30).",
        ),
        click.option(
            "--max-retries",
            type=click.IntRange(min=0),
            default=None,
            help="Retries for timeouts, 5xx and 429 (default 3).",
        ),
        click.option(
            "--max-concurrency",
            type=click.IntRange(min=1),
            default=None,
            help="Requests in flight overall (default 32).",
        ),
        click.option(
            "--host-concurrency",
            type=click.IntRange(min=1),
            default=None,
            help="Requests in flight per host (default 4).",
        ),
        click.option(
            "--block-private",
            is_flag=True,
            default=False,
            envvar="FACTCHECK_BLOCK_PRIVATE",
            help="Refuse private, loopback and link-local addresses, also after redirects and DNS "
            "(also FACTCHECK_BLOCK_PRIVATE=1; for CI jobs fetching URLs taken from articles).",
        ),
        click.option("--wayback-url", default=None, hidden=True, help="Wayback Machine base URL."),
        click.option("--oembed-url", default=None, hidden=True, help="Tweet oEmbed endpoint."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def fetch_settings(options: dict[str, Any]) -> Any:
    """FetchSettings from the fetch options given on the command line (others keep their defaults)."""
    from dataclasses import replace

    from factcheck.fetch import FetchSettings

    settings = FetchSettings()
    changes: dict[str, Any] = {}
    if options.get("timeout") is not None:
        changes["total_timeout"] = options["timeout"]
        changes["read_timeout"] = min(settings.read_timeout, options["timeout"])
        changes["connect_timeout"] = min(settings.connect_timeout, options["timeout"])
    for key in ("max_retries", "max_concurrency", "host_concurrency", "wayback_url", "oembed_url"):
        if options.get(key) is not None:
            changes[key] = options[key]
    if options.get("block_private"):
        changes["block_private"] = True
    return replace(settings, **changes)


def parse_verdicts(value: str | None) -> set[str]:
    """``--fail-on altered,not_found`` → {"altered", "not_found"}; unknown names are a usage error."""
    from factcheck.verdicts import VERDICTS

    if not value:
        return set()
    names = {v.strip() for v in value.split(",") if v.strip()}
    unknown = sorted(names - set(VERDICTS))
    if unknown:
        raise click.BadParameter(
            f"unknown verdict {', '.join(unknown)}; use {', '.join(VERDICTS)}", param_hint="--fail-on"
        )
    return names


def progress_reporter(label: str) -> Any:
    """A progress bar on stderr when it is a terminal, else nothing (a callback, or None)."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    progress = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("[dim]{task.description}"),
        console=Console(stderr=True),
        transient=True,
    )
    task = progress.add_task("", total=None)
    progress.start()

    def report(done: int, total: int, what: str) -> None:
        progress.update(task, completed=done, total=total, description=what)
        if done >= total:
            progress.stop()

    return report


@cli.command()
@article_argument
@sources_option
@archive_option
@offline_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "markdown"]),
    default="table",
    show_default=True,
    help="Output format; json prints only JSON on stdout.",
)
@output_option
@click.option(
    "--fail-on", metavar="VERDICT,...", default=None, help="Exit 2 when any claim gets one of these verdicts."
)
@fetch_options
@debug_option
def check(
    article: str | None,
    sources_dir: Path | None,
    archive_dir: Path | None,
    offline: bool,
    fmt: str,
    output: Path | None,
    fail_on: str | None,
    **fetch: Any,
) -> None:
    """Check every claim of ARTICLE against its original: fetch live, fall back to the archive."""
    failing = parse_verdicts(fail_on)
    from factcheck.pipeline import check as run_check
    from factcheck.report import effective_verdict, print_claims_table, to_json, to_markdown, write_output

    result = run_check(
        article,
        sources_dir,
        archive_dir,
        offline=offline,
        settings=fetch_settings(fetch),
        progress=progress_reporter("fetching sources"),
    )
    reviews = load_reviews(result, None, strict=False)
    if fmt == "json":
        write_output(to_json(result, reviews), output)
    elif fmt == "markdown" or output is not None:
        write_output(to_markdown(result, reviews), output)
    else:
        print_claims_table(result)
    matched = [c.id for c in result.claims if effective_verdict(result, c, reviews) in failing]
    if matched:
        click.echo(f"{len(matched)} claim(s) matched --fail-on {fail_on}: {', '.join(matched)}", err=True)
        raise click.exceptions.Exit(EXIT_FAILED)


def load_reviews(result: Any, review_file: Path | None, *, strict: bool) -> Any:
    """The article's review file when there is one; a corrupt file is an error (strict) or a warning."""
    from factcheck.review import ReviewFile, default_review_path

    path = review_file or default_review_path(result.article.path, result.article.url, bundled=result.bundled)
    if review_file is None and not path.exists():
        return None
    try:
        return ReviewFile.load(path)
    except FactcheckError as err:
        if strict:
            raise
        click.echo(f"warning: {err}; reporting machine verdicts only", err=True)
        return None


@cli.command()
@article_argument
@sources_option
@archive_option
@offline_option
@click.option(
    "--review-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Review decisions to include. Default: <article>.review.json, if it exists.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json", "claimreview"]),
    default="markdown",
    show_default=True,
    help="markdown: a report for people; json: the check document with reviews; claimreview: JSON-LD.",
)
@output_option
@click.option(
    "--organization",
    default="factcheck",
    show_default=True,
    envvar="FACTCHECK_ORGANIZATION",
    help="The reviewing organisation named as ClaimReview author.",
)
@click.option(
    "--organization-url",
    default=None,
    envvar="FACTCHECK_ORGANIZATION_URL",
    help="Its home page, for ClaimReview.",
)
@fetch_options
@debug_option
def report(
    article: str | None,
    sources_dir: Path | None,
    archive_dir: Path | None,
    offline: bool,
    review_file: Path | None,
    fmt: str,
    output: Path | None,
    organization: str,
    organization_url: str | None,
    **fetch: Any,
) -> None:
    """Write the verdict report of ARTICLE, with the reviewer's decisions beside the machine's."""
    from factcheck.pipeline import check as run_check
    from factcheck.report import to_claimreview, to_json, to_markdown, write_output

    result = run_check(
        article,
        sources_dir,
        archive_dir,
        offline=offline,
        settings=fetch_settings(fetch),
        progress=progress_reporter("fetching sources"),
    )
    reviews = load_reviews(result, review_file, strict=True)
    if fmt == "json":
        text = to_json(result, reviews)
    elif fmt == "claimreview":
        text = to_claimreview(result, reviews, organization=organization, organization_url=organization_url)
    else:
        text = to_markdown(result, reviews)
    write_output(text, output)


@cli.command("archive")
@article_argument
@sources_option
@archive_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json prints only JSON on stdout.",
)
@fetch_options
@debug_option
def archive_command(
    article: str | None, sources_dir: Path | None, archive_dir: Path | None, fmt: str, **fetch: Any
) -> None:
    """Capture every source ARTICLE cites into the archive and say what each gave.

    Each source is fetched live (conditionally, from its last capture) and stored with its URL, final
    URL, status, headers that matter, time, sha256 and provenance. A failed fetch falls back to the
    archive, then to a Wayback snapshot; nothing is invented for a source that cannot be read.
    """
    import asyncio
    import json

    from factcheck.archive import Archive
    from factcheck.pipeline import acquire_sources, default_archive_dir
    from factcheck.pipeline import extract as run_extract
    from factcheck.report import source_json, write_stdout
    from factcheck.verdicts import read_source

    extraction = run_extract(article, sources_dir)
    sources = list(extraction.sources) + [s for s in extraction.registry if s not in extraction.sources]
    store = Archive(archive_dir if archive_dir is not None else default_archive_dir(extraction.registry))
    acquired = asyncio.run(
        acquire_sources(
            sources,
            store,
            offline=False,
            settings=fetch_settings(fetch),
            progress=progress_reporter("capturing sources"),
        )
    )
    rows = [source_json(s, read_source(s, acquired[s.id])) for s in sources]
    if fmt == "json":
        write_stdout(json.dumps({"schema": 1, "archive": str(store.root), "sources": rows}, indent=2) + "\n")
        return
    for row in rows:
        status = row["status"] + (f" {row['http_status']}" if row["http_status"] else "")
        copy = (
            f"{row['provenance']} ({row['strength']}) sha256:{row['sha256'][:12]}"
            if row.get("sha256")
            else "no copy"
        )
        click.echo(f"{row['id']}: {status}, {copy}" + (f" — {row['error']}" if row["error"] else ""))
    captured = sum(1 for row in rows if row["status"] == "live")
    sys.stdout.flush()
    click.echo(f"{captured} of {len(rows)} captured live into {store.root}", err=True)


@cli.command()
@article_argument
@sources_option
@archive_option
@offline_option
@click.option(
    "--review-file",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Where decisions are saved. Default: <article>.review.json beside the article "
    "(the user data folder for the bundled case, stdin and URLs).",
)
@fetch_options
@debug_option
def review(
    article: str | None,
    sources_dir: Path | None,
    archive_dir: Path | None,
    offline: bool,
    review_file: Path | None,
    **fetch: Any,
) -> None:
    """Step through the claims of ARTICLE in a terminal app: confirm or override each verdict, add notes.

    The screen paints from the archive at once and updates as live results arrive (unless --offline).
    Every decision is saved at once, atomically. Keys: j/k or arrows move, c confirms, o overrides,
    n edits the note, / filters, ? help, q quits; Ctrl+P opens the command palette.
    """
    from factcheck.tui import run_review

    run_review(
        article,
        sources_dir,
        archive_dir,
        offline=offline,
        review_file=review_file,
        settings=fetch_settings(fetch),
    )


def verify_option_parser(name: str) -> Callable[[click.Context, click.Parameter, Any], Any]:
    """A callback running ``factcheck.verify.<name>`` on a given value; ValueError → usage error."""

    def callback(_ctx: click.Context, _param: click.Parameter, value: Any) -> Any:
        if value is None or value == ():
            return value
        from factcheck import verify as verify_module

        try:
            return getattr(verify_module, name)(value)
        except ValueError as err:
            raise click.BadParameter(str(err)) from None

    return callback


@cli.command()
@click.argument("articles", nargs=-1, metavar="[ARTICLE ...]")
@sources_option
@archive_option
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown", "junit"]),
    default="text",
    show_default=True,
    help="Output format; stdout carries only this format.",
)
@output_option
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(path_type=Path, dir_okay=False),
    default=None,
    help="Keep successful link results and verdicts in FILE between runs; failures are never cached.",
)
@click.option(
    "--max-cache-age",
    metavar="AGE",
    default="1d",
    show_default=True,
    callback=verify_option_parser("parse_duration"),
    help="Reuse cached results younger than AGE: 3600, 30m, 12h, 1d, 1w.",
)
@click.option(
    "--accept",
    metavar="CODES",
    default=None,
    callback=verify_option_parser("parse_accept"),
    help="More status codes that count as ok, e.g. '429' or '200..=299,403' (2xx always do).",
)
@click.option(
    "--exclude",
    metavar="REGEX",
    multiple=True,
    callback=verify_option_parser("compile_excludes"),
    help="Do not check URLs matching REGEX (searched anywhere in the URL; repeatable).",
)
@click.option("--strict", is_flag=True, help="Blocked links (403, 429, bot walls) fail too.")
@click.option(
    "--fail-on",
    metavar="VERDICT,...",
    default=None,
    help="Also fail claims whose live verdict is one of these (e.g. not_found,altered).",
)
@fetch_options
@debug_option
def verify(
    articles: tuple[str, ...],
    sources_dir: Path | None,
    archive_dir: Path | None,
    fmt: str,
    output: Path | None,
    cache_path: Path | None,
    max_cache_age: float,
    accept: frozenset[int] | None,
    exclude: tuple[re.Pattern[str], ...],
    strict: bool,
    fail_on: str | None,
    **fetch: Any,
) -> None:
    """Re-check cited links live, and whether their quotes are still on the pages (for CI).

    ARTICLE is an article file, a folder of .txt/.md/.html articles (not recursive), '-' or a URL;
    give several and each URL is fetched once. Without ARTICLE: the bundled case.

    Exit 0: nothing failed. Exit 2: a link is dead, timed out or errored (or blocked, with
    --strict), or a quote found in the archived copy is gone from or altered on the live page.
    Exit 1: bad input or configuration. The archive is the baseline and is never written. With
    $GITHUB_STEP_SUMMARY set, a Markdown summary is appended to it.
    """
    from dataclasses import replace

    from factcheck.verify import VerifyOptions, run_verify_command

    failing = parse_verdicts(fail_on)
    settings = fetch_settings(fetch)
    if accept:
        settings = replace(settings, accept_status=accept)
    options = VerifyOptions(
        settings=settings,
        archive_dir=archive_dir,
        cache_path=cache_path,
        max_cache_age=max_cache_age,
        exclude=exclude,
        strict=strict,
        fail_on=frozenset(failing),
    )
    code = run_verify_command(
        list(articles),
        sources_dir,
        fmt=fmt,
        output=output,
        options=options,
        progress=progress_reporter("verifying links"),
    )
    if code:
        raise click.exceptions.Exit(code)


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="factcheck")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
