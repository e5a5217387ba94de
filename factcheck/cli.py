"""The ``factcheck`` command line: thin wrappers that parse options and call the headless pipeline.

Exit codes (as lychee): 0 ran and nothing failed; 1 bad input, configuration or unexpected error;
2 a check failed (``verify`` found a failing link or quote, or ``check --fail-on`` matched).
Heavy modules are imported inside the commands so that ``factcheck --help`` stays fast.
"""

from __future__ import annotations

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


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=argv, prog_name="factcheck")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
