"""The source registry: one TOML file per cited original, and the bundled case that ships with factcheck.

A registry is a folder of ``<id>.toml`` files (the stem is the source id). Only ``url`` and ``speakers``
are required; unknown keys are kept in ``Source.extra`` and otherwise ignored.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from factcheck.errors import FactcheckError

SOURCE_KINDS = ("html", "pdf", "tweet", "text")
BUNDLED_ARTICLE = "article/mambaonline-2019-01-21.txt"
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")
# Names Windows treats as devices whatever the extension: refused so that an archive stays portable.
_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul"] + [f"com{i}" for i in range(10)] + [f"lpt{i}" for i in range(10)]
)


def is_safe_source_id(source_id: object) -> bool:
    """Whether ``source_id`` can name files: 1-128 letters, digits, '.', '_', '-', no device name."""
    return (
        isinstance(source_id, str)
        and _ID_RE.fullmatch(source_id) is not None
        and source_id.split(".")[0].lower() not in _DEVICE_NAMES
    )


@dataclass(frozen=True)
class Source:
    """A cited original: where it lives and whom it speaks for."""

    id: str
    url: str
    speakers: tuple[str, ...]
    title: str = ""
    publisher: str = ""
    author: str = ""
    kind: str | None = None
    published: str = ""
    path: Path | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def label(self) -> str:
        """A short human name: the title, else the publisher, else the id."""
        return self.title or self.publisher or self.id


@dataclass(frozen=True)
class Registry:
    """All sources of one registry folder, in id order."""

    folder: Path | None
    sources: tuple[Source, ...]

    def __iter__(self) -> Iterator[Source]:
        return iter(self.sources)

    def __len__(self) -> int:
        return len(self.sources)

    def get(self, source_id: str) -> Source | None:
        for source in self.sources:
            if source.id == source_id:
                return source
        return None


def bundled_sources_dir() -> Path:
    """The bundled case's folder: inside the installed wheel, or ``sources/`` of a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / "_bundled", package.parent / "sources"):
        if (candidate / BUNDLED_ARTICLE).is_file():
            return candidate
    raise FactcheckError(
        "the bundled case is missing from this installation (no factcheck/_bundled or sources/ folder); "
        "reinstall factcheck or pass an ARTICLE and --sources DIR"
    )


def bundled_article_path() -> Path:
    """The article the project was created for."""
    return bundled_sources_dir() / BUNDLED_ARTICLE


def load_registry(folder: Path) -> Registry:
    """Read every ``*.toml`` in ``folder`` (not recursive) into a :class:`Registry`.

    Raises :class:`FactcheckError` naming the file (and line, for TOML syntax errors) on bad input.
    """
    if not folder.exists():
        raise FactcheckError(f"{folder}: sources folder does not exist")
    if not folder.is_dir():
        raise FactcheckError(f"{folder}: --sources must be a folder of <id>.toml files")
    sources = [load_source(path) for path in sorted(folder.glob("*.toml"))]
    return Registry(folder=folder, sources=tuple(sources))


def load_source(path: Path) -> Source:
    """Parse and validate one registry file."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise FactcheckError(f"{path}: cannot read: {err.strerror or err}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as err:
        raise FactcheckError(f"{path}: not UTF-8 text (byte {err.start}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as err:
        # tomllib's message already ends with "(at line L, column C)".
        raise FactcheckError(f"{path}: invalid TOML: {err}") from None
    return source_from_mapping(path.stem, data, path)


def source_from_mapping(source_id: str, data: dict[str, Any], path: Path | None = None) -> Source:
    """Validate a registry entry given as a mapping (the parsed TOML)."""
    where = str(path) if path else f"source {source_id!r}"
    if not is_safe_source_id(source_id):
        raise FactcheckError(
            f"{where}: the file name gives the source id {source_id!r}; "
            "use letters, digits, '.', '_' and '-' only"
        )
    if "speakers" not in data:
        raise FactcheckError(
            f"{where}: missing required key 'speakers' (a list of names that cite this source)"
        )
    speakers = data["speakers"]
    if (
        not isinstance(speakers, list)
        or not speakers
        or not all(isinstance(s, str) and s.strip() for s in speakers)
    ):
        raise FactcheckError(
            f"{where}: 'speakers' must be a non-empty list of names, e.g. speakers = [\"Jane Doe\"]"
        )
    if "url" not in data:
        raise FactcheckError(
            f"{where}: missing required key 'url' (use url = \"\" when the original is not known)"
        )
    url = data["url"]
    if not isinstance(url, str):
        raise FactcheckError(f"{where}: 'url' must be a string")
    url = url.strip()
    if url and not re.match(r"^https?://[^\s/]+", url, re.IGNORECASE):
        raise FactcheckError(f"{where}: url {url!r} is not an http(s) URL; only http and https are fetched")
    kind = data.get("kind")
    if kind is not None and kind not in SOURCE_KINDS:
        raise FactcheckError(f"{where}: kind {kind!r} is not one of {', '.join(SOURCE_KINDS)}")

    def text(key: str) -> str:
        value = data.get(key, "")
        if isinstance(value, str):
            return value.strip()
        if key == "published":  # TOML dates parse to date objects
            return str(value)
        raise FactcheckError(f"{where}: {key!r} must be a string")

    known = {"url", "speakers", "title", "publisher", "author", "kind", "published"}
    return Source(
        id=source_id,
        url=url,
        speakers=tuple(s.strip() for s in speakers),
        title=text("title"),
        publisher=text("publisher"),
        author=text("author"),
        kind=kind,
        published=text("published"),
        path=path,
        extra={k: v for k, v in data.items() if k not in known},
    )


def source_id_for_url(url: str) -> str:
    """A readable, safe id for a URL cited in an article but not in the registry.

    A slug of host and path plus a short hash: ``https://www.state.gov/attacks-on-lgbti/`` →
    ``state-gov-attacks-on-lgbti-<10 hex>``. The hash of the exact URL keeps different URLs apart
    whatever the slug loses, and no URL can produce a path outside the archive folder.
    """
    text = url.strip()
    try:
        parts = urlsplit(text)
        host = (parts.hostname or "").removeprefix("www.")
        readable = f"{host}{parts.path}" if host else text
    except ValueError:
        readable = text
    slug = re.sub(r"[^a-z0-9]+", "-", readable.lower()).strip("-")[:60].rstrip("-") or "url"
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{slug}-{digest}"


def kind_for_url(url: str) -> str | None:
    """The document kind a URL's shape implies (a tweet status, a .pdf), or None to decide by Content-Type."""
    lowered = url.lower()
    if re.match(r"^https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/[^/]+/status(?:es)?/\d+", lowered):
        return "tweet"
    if re.search(r"\.pdf(?:$|[?#])", lowered):
        return "pdf"
    return None
