"""The archive of cited originals, and the fetch/archive stage entry point :func:`acquire`.

Layout under the archive root (``<sources>/archive/`` by default)::

    objects/<sha256[:2]>/<sha256>     the bytes of every copy, content-addressed
    captures/<source_id>.json         {"schema": 1, "source_id": ..., "captures": [...]}, newest last

A capture records where the bytes came from (url, final_url, status, redirect chain, the headers
that matter, content type, kind, fetched_at, sha256, size) and how strong they are as evidence:

- ``provenance``: ``live`` (factcheck fetched the URL), ``wayback`` (a Wayback Machine snapshot),
  ``reproduction`` (rebuilt by hand from copies on other sites) or ``partial`` (an excerpt);
- ``strength``: ``original``, ``complete``, ``secondary`` or ``partial``; ``note`` and ``seen_at``
  say where a hand-built copy's text was seen.

File names come only from validated source ids and hex digests, never from URLs, so nothing can
escape the root; every write is atomic; a corrupt metadata file is reported, never overwritten.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from factcheck.atomic import write_atomic
from factcheck.errors import FactcheckError
from factcheck.sources import Source, is_safe_source_id

if TYPE_CHECKING:
    # Only for annotations: reading the archive (offline) must not load the HTTP client.
    from factcheck.fetch import Fetcher, FetchResult

SCHEMA = 1
PROVENANCES = ("live", "wayback", "reproduction", "partial")
STRENGTHS = ("original", "complete", "secondary", "partial")
KINDS = ("html", "pdf", "tweet", "text")
_SHA_RE = re.compile(r"^[0-9a-f]{64}$")
_CONTENT_TYPES = {
    "text": "text/plain; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "tweet": "application/json",
}


def check_source_id(source_id: str) -> str:
    """Return ``source_id`` if it is safe as a file name in the archive, else raise FactcheckError."""
    if not is_safe_source_id(source_id):
        raise FactcheckError(
            f"source id {source_id!r} cannot name an archive entry: use 1-128 letters, digits, '.', '_' "
            "and '-', starting with a letter or digit"
        )
    return source_id


def kind_for(content_type: str | None, body: bytes, declared: str | None = None) -> str | None:
    """The document kind of a body: from its Content-Type, then its first bytes, then ``declared``."""
    mime = (content_type or "").split(";", 1)[0].strip().lower()
    if mime == "application/pdf" or body[:5] == b"%PDF-":
        return "pdf"
    if mime in ("text/html", "application/xhtml+xml"):
        return "html"
    if mime == "text/plain":
        return "text"
    head = body[:512].lstrip().lower()
    if not mime and (head.startswith((b"<!doctype html", b"<html"))):
        return "html"
    return declared if declared in KINDS else None


@dataclass(frozen=True)
class Hop:
    """One redirect response on the way to the final URL (a capture keeps its whole chain)."""

    url: str
    status: int


@dataclass(frozen=True)
class Capture:
    """One archived copy of a source and where it came from."""

    source_id: str
    url: str | None
    final_url: str | None
    status: int | None
    redirects: tuple[Hop, ...]
    headers: dict[str, str] = field(hash=False)
    content_type: str | None
    kind: str | None
    fetched_at: str
    sha256: str
    size: int
    provenance: str
    strength: str
    note: str = ""
    seen_at: tuple[str, ...] = ()

    @property
    def date(self) -> str:
        """The day of the capture (``YYYY-MM-DD``)."""
        return self.fetched_at[:10]

    def to_json(self) -> dict[str, Any]:
        """The capture as stored in ``captures/<source_id>.json``."""
        return {
            "source_id": self.source_id,
            "url": self.url,
            "final_url": self.final_url,
            "status": self.status,
            "redirects": [{"url": hop.url, "status": hop.status} for hop in self.redirects],
            "headers": dict(self.headers),
            "content_type": self.content_type,
            "kind": self.kind,
            "fetched_at": self.fetched_at,
            "sha256": self.sha256,
            "size": self.size,
            "provenance": self.provenance,
            "strength": self.strength,
            "note": self.note,
            "seen_at": list(self.seen_at),
        }

    @classmethod
    def from_json(cls, data: object) -> Capture:
        """Validate and build a capture; raises ValueError saying what is wrong."""
        if not isinstance(data, dict):
            raise ValueError("a capture is not a JSON object")

        def text(key: str, *, optional: bool = False) -> Any:
            value = data.get(key)
            if value is None and optional:
                return None
            if not isinstance(value, str):
                raise ValueError(f"{key!r} must be a string")
            return value

        status = data.get("status")
        if status is not None and (not isinstance(status, int) or isinstance(status, bool)):
            raise ValueError("'status' must be an integer or null")
        size = data.get("size")
        if not isinstance(size, int) or isinstance(size, bool) or size < 0:
            raise ValueError("'size' must be a non-negative integer")
        sha = text("sha256")
        if not _SHA_RE.fullmatch(sha):
            raise ValueError("'sha256' must be 64 lowercase hex digits")
        redirects = data.get("redirects", [])
        if not isinstance(redirects, list) or not all(
            isinstance(h, dict) and isinstance(h.get("url"), str) and isinstance(h.get("status"), int)
            for h in redirects
        ):
            raise ValueError("'redirects' must be a list of {url, status}")
        headers = data.get("headers", {})
        if not isinstance(headers, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in headers.items()
        ):
            raise ValueError("'headers' must map strings to strings")
        seen_at = data.get("seen_at", [])
        if not isinstance(seen_at, list) or not all(isinstance(s, str) for s in seen_at):
            raise ValueError("'seen_at' must be a list of strings")
        provenance, strength, kind = text("provenance"), text("strength"), text("kind", optional=True)
        if provenance not in PROVENANCES:
            raise ValueError(f"unknown provenance {provenance!r}")
        if strength not in STRENGTHS:
            raise ValueError(f"unknown strength {strength!r}")
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown kind {kind!r}")
        return cls(
            source_id=text("source_id"),
            url=text("url", optional=True),
            final_url=text("final_url", optional=True),
            status=status,
            redirects=tuple(Hop(h["url"], h["status"]) for h in redirects),
            headers=dict(headers),
            content_type=text("content_type", optional=True),
            kind=kind,
            fetched_at=text("fetched_at"),
            sha256=sha,
            size=size,
            provenance=provenance,
            strength=strength,
            note=text("note", optional=True) or "",
            seen_at=tuple(seen_at),
        )


class Archive:
    """Content-addressed copies of sources plus per-source capture metadata, under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    # -- paths: only validated ids and hex digests ever become file names ------------------------

    def metadata_path(self, source_id: str) -> Path:
        """``captures/<source_id>.json``, after checking the id cannot leave the folder."""
        folder = self.root / "captures"
        path = folder / f"{check_source_id(source_id)}.json"
        if path.parent != folder or path.name != f"{source_id}.json":  # belt and braces
            raise FactcheckError(f"source id {source_id!r} cannot name an archive entry")
        return path

    def object_path(self, sha256: str) -> Path:
        """``objects/<sha[:2]>/<sha>`` for a 64-hex-digit digest."""
        if not _SHA_RE.fullmatch(sha256):
            raise FactcheckError(f"{sha256!r} is not a sha256 digest")
        return self.root / "objects" / sha256[:2] / sha256

    # -- reading ---------------------------------------------------------------------------------

    def source_ids(self) -> list[str]:
        """Ids of every source with at least one capture, sorted."""
        folder = self.root / "captures"
        if not folder.is_dir():
            return []
        return sorted(p.stem for p in folder.glob("*.json") if is_safe_source_id(p.stem))

    def captures(self, source_id: str) -> list[Capture]:
        """All captures of a source, oldest first; [] when there are none.

        A metadata file that cannot be read as captures raises FactcheckError naming it.
        """
        path = self.metadata_path(source_id)
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return []
        except OSError as err:
            raise FactcheckError(f"{path}: cannot read archive metadata: {err.strerror or err}") from None
        try:
            doc = json.loads(raw.decode("utf-8"))
            if not isinstance(doc, dict) or not isinstance(doc.get("captures"), list):
                raise ValueError("expected an object with a 'captures' list")
            if doc.get("schema") != SCHEMA:
                raise ValueError(
                    f"schema {doc.get('schema')!r} is not {SCHEMA} (written by another version?)"
                )
            if doc.get("source_id") != source_id:
                raise ValueError(f"it belongs to source {doc.get('source_id')!r}, not {source_id!r}")
            found = []
            for index, item in enumerate(doc["captures"]):
                try:
                    capture = Capture.from_json(item)
                except ValueError as err:
                    raise ValueError(f"capture {index}: {err}") from None
                if capture.source_id != source_id:
                    raise ValueError(f"capture {index} belongs to source {capture.source_id!r}")
                found.append(capture)
        except (UnicodeDecodeError, ValueError) as err:  # json.JSONDecodeError is a ValueError
            raise FactcheckError(
                f"{path}: corrupt archive metadata ({err}); it was left untouched: repair it or move it "
                "aside, then run again"
            ) from None
        return found

    def latest(self, source_id: str) -> Capture | None:
        """The newest capture of a source, or None."""
        found = self.captures(source_id)
        return found[-1] if found else None

    def read(self, capture: Capture) -> bytes:
        """The bytes of a capture, checked against its sha256."""
        path = self.object_path(capture.sha256)
        try:
            body = path.read_bytes()
        except FileNotFoundError:
            raise FactcheckError(
                f"{path}: the archived copy of {capture.source_id} ({capture.date}) is missing from the "
                "archive; fetch the source again"
            ) from None
        except OSError as err:
            raise FactcheckError(f"{path}: cannot read archived copy: {err.strerror or err}") from None
        actual = hashlib.sha256(body).hexdigest()
        if actual != capture.sha256:
            raise FactcheckError(
                f"{path}: the archived copy of {capture.source_id} is corrupt (sha256 {actual[:12]}…, "
                f"expected {capture.sha256[:12]}…); delete it and fetch the source again"
            )
        return body

    # -- writing ---------------------------------------------------------------------------------

    def store(
        self,
        source_id: str,
        result: FetchResult,
        *,
        provenance: str = "live",
        strength: str = "original",
        kind: str | None = None,
        url: str | None = None,
        note: str = "",
        seen_at: Sequence[str] = (),
    ) -> Capture:
        """Archive the body of a successful fetch as a new capture of ``source_id``."""
        if result.body is None:
            raise ValueError(f"nothing to store for {source_id}: the fetch of {result.url} has no body")
        capture = Capture(
            source_id=check_source_id(source_id),
            url=url if url is not None else result.url,
            final_url=result.final_url,
            status=result.status,
            redirects=tuple(result.redirects),
            headers=dict(result.headers),
            content_type=result.content_type,
            kind=kind if kind is not None else kind_for(result.content_type, result.body),
            fetched_at=result.fetched_at,
            sha256=hashlib.sha256(result.body).hexdigest(),
            size=len(result.body),
            provenance=provenance,
            strength=strength,
            note=note,
            seen_at=tuple(seen_at),
        )
        return self._append(capture, result.body)

    def add_copy(
        self,
        source_id: str,
        body: bytes,
        *,
        provenance: str,
        strength: str,
        note: str,
        seen_at: Sequence[str],
        kind: str | None,
        url: str | None,
        fetched_at: str,
    ) -> Capture:
        """Archive a hand-built copy (a reproduction or an excerpt). Adding the same copy twice is a no-op."""
        capture = Capture(
            source_id=check_source_id(source_id),
            url=url or None,
            final_url=None,
            status=None,
            redirects=(),
            headers={},
            content_type=_CONTENT_TYPES.get(kind or ""),
            kind=kind,
            fetched_at=fetched_at,
            sha256=hashlib.sha256(body).hexdigest(),
            size=len(body),
            provenance=provenance,
            strength=strength,
            note=note,
            seen_at=tuple(seen_at),
        )
        if self.latest(source_id) == capture:
            return capture
        return self._append(capture, body)

    def _append(self, capture: Capture, body: bytes) -> Capture:
        if capture.provenance not in PROVENANCES:
            raise ValueError(
                f"provenance must be one of {', '.join(PROVENANCES)}, not {capture.provenance!r}"
            )
        if capture.strength not in STRENGTHS:
            raise ValueError(f"strength must be one of {', '.join(STRENGTHS)}, not {capture.strength!r}")
        if capture.kind is not None and capture.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)} or None, not {capture.kind!r}")
        # Read first: a corrupt metadata file raises here and is never overwritten.
        existing = self.captures(capture.source_id)
        object_path = self.object_path(capture.sha256)
        path = self.metadata_path(capture.source_id)
        doc = {
            "schema": SCHEMA,
            "source_id": capture.source_id,
            "captures": [c.to_json() for c in [*existing, capture]],
        }
        try:
            # The object first: metadata never names bytes that are not on disk.
            if not object_path.is_file() or object_path.stat().st_size != len(body):
                write_atomic(object_path, body)
            write_atomic(path, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        except OSError as err:
            raise FactcheckError(
                f"{err.filename or self.root}: cannot write to the archive: {err.strerror or err}; "
                "pass --archive DIR to use another folder"
            ) from None
        return capture


@dataclass(frozen=True)
class Acquired:
    """The outcome of the fetch/archive stage for one source."""

    source_id: str
    status: str  # "live" | "archived" | "unavailable"
    capture: Capture | None
    body: bytes | None = field(repr=False)  # may be megabytes: kept out of reprs and tracebacks
    fetch: FetchResult | None  # the live attempt, for reporting link health
    error: str | None
    provenance: str | None

    @property
    def http_status(self) -> int | None:
        """The live fetch's status when one was made, else the capture's."""
        if self.fetch is not None and self.fetch.status is not None:
            return self.fetch.status
        return self.capture.status if self.capture else None

    @property
    def final_url(self) -> str | None:
        """Where the body came from: the capture's final URL, else the live attempt's."""
        if self.capture is not None and self.capture.final_url:
            return self.capture.final_url
        return self.fetch.final_url if self.fetch else None

    @property
    def fetched_at(self) -> str | None:
        """When the copy used was captured (or when the failed live attempt was made)."""
        if self.capture is not None:
            return self.capture.fetched_at
        return self.fetch.fetched_at if self.fetch else None


def _unavailable(source_id: str, error: str, fetch: FetchResult | None = None) -> Acquired:
    return Acquired(source_id, "unavailable", None, None, fetch, error, None)


def _from_archive(
    archive: Archive, capture: Capture, status: str, error: str | None, fetch: FetchResult | None
) -> Acquired:
    return Acquired(
        capture.source_id, status, capture, archive.read(capture), fetch, error, capture.provenance
    )


async def acquire(source: Source, fetcher: Fetcher | None, archive: Archive, *, offline: bool) -> Acquired:
    """Get the best available copy of ``source``: live, else archived, else a Wayback snapshot.

    Offline, only the archive is read. Online, the URL is fetched (conditionally, from the last live
    capture; a 304 reuses it) and a success is archived; a failure falls back to the newest archived
    copy, then to a Wayback snapshot (archived with provenance ``wayback``). Tweets are read through
    oEmbed. ``error`` keeps the live failure readable (dead, blocked and timed out stay distinct).
    """
    sid = source.id
    latest = archive.latest(sid)
    url = source.url.strip()
    if offline or not url:
        if latest is not None:
            return _from_archive(archive, latest, "archived", None, None)
        if not url:
            return _unavailable(sid, "no URL known" if not offline else "no URL known and no archived copy")
        return _unavailable(sid, "no archived copy; run without --offline to fetch it")
    if fetcher is None:
        raise ValueError("acquire() needs a Fetcher unless offline=True")
    from factcheck.fetch import is_tweet_url, wayback_raw_url, wayback_timestamp

    tweet = source.kind == "tweet" or is_tweet_url(url)
    base = _revalidation_base(archive.captures(sid), url) if not tweet else None
    if tweet:
        result = await fetcher.fetch_oembed(url)
    else:
        result = await fetcher.fetch(
            url,
            etag=base.headers.get("etag") if base else None,
            last_modified=base.headers.get("last-modified") if base else None,
        )
    if result.outcome == "not_modified" and base is not None:
        return _from_archive(archive, base, "live", None, result)
    if result.outcome == "ok" and result.body is not None:
        kind = "tweet" if tweet else kind_for(result.content_type, result.body, source.kind)
        capture = archive.store(sid, result, provenance="live", strength="original", kind=kind, url=url)
        return Acquired(sid, "live", capture, result.body, result, None, "live")

    failure = f"live fetch failed: {result.error or result.outcome}"
    if latest is not None:
        return _from_archive(
            archive, latest, "archived", f"{failure}; using the archived copy of {latest.date}", result
        )
    snapshot = await fetcher.wayback_snapshot(url)
    if snapshot is None:
        return _unavailable(sid, f"{failure}; no archived copy and no Wayback snapshot", result)
    copy = await fetcher.fetch(wayback_raw_url(snapshot))
    if copy.outcome != "ok" or copy.body is None:
        return _unavailable(
            sid, f"{failure}; the Wayback snapshot {snapshot} could not be read: {copy.error}", result
        )
    taken = wayback_timestamp(snapshot)
    capture = archive.store(
        sid,
        copy,
        provenance="wayback",
        strength="original",
        kind=kind_for(copy.content_type, copy.body, source.kind),
        url=url,
        note=f"Wayback Machine snapshot {snapshot}" + (f" taken {taken}" if taken else ""),
    )
    when = f" of {taken[:10]}" if taken else ""
    return Acquired(
        sid,
        "archived",
        capture,
        copy.body,
        result,
        f"{failure}; using the Wayback Machine snapshot{when}",
        "wayback",
    )


def _revalidation_base(captures: Iterable[Capture], url: str) -> Capture | None:
    # Only a live capture of this very URL with a validator can be confirmed by a 304.
    for capture in reversed(list(captures)):
        if capture.provenance == "live" and capture.url == url:
            if capture.headers.get("etag") or capture.headers.get("last-modified"):
                return capture
            return None
    return None


# -- the bundled case: hand-built copies described by a manifest ---------------------------------

_MANIFEST_KEYS = {
    "file",
    "source_id",
    "provenance",
    "strength",
    "kind",
    "note",
    "seen_at",
    "url",
    "fetched_at",
}


def build_archive_from_manifest(manifest: Path, archive: Archive) -> list[Capture]:
    """Add every ``[[copy]]`` of a manifest (``sources/originals/manifest.toml``) to ``archive``.

    Idempotent: a copy already archived with the same metadata is not added again, so rebuilding
    the bundled archive gives byte-identical files.
    """
    try:
        data = tomllib.loads(manifest.read_text(encoding="utf-8"))
    except OSError as err:
        raise FactcheckError(f"{manifest}: cannot read: {err.strerror or err}") from None
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as err:
        raise FactcheckError(f"{manifest}: invalid manifest: {err}") from None
    copies = data.get("copy")
    if not isinstance(copies, list) or not copies:
        raise FactcheckError(f"{manifest}: no [[copy]] entries")
    folder = manifest.parent
    made = []
    for index, entry in enumerate(copies, start=1):
        where = f"{manifest}: copy {index}"
        if not isinstance(entry, dict):
            raise FactcheckError(f"{where}: not a table")
        unknown = set(entry) - _MANIFEST_KEYS
        missing = {"file", "source_id", "provenance", "strength", "note", "seen_at", "fetched_at"} - set(
            entry
        )
        if unknown or missing:
            raise FactcheckError(f"{where}: unknown keys {sorted(unknown)}, missing keys {sorted(missing)}")
        name = entry["file"]
        if not isinstance(name, str) or Path(name).name != name or name in ("", ".", ".."):
            raise FactcheckError(f"{where}: 'file' must be a file name in {folder}")
        seen_at = entry["seen_at"]
        if not isinstance(seen_at, list) or not all(isinstance(s, str) for s in seen_at):
            raise FactcheckError(f"{where}: 'seen_at' must be a list of strings")
        for key in ("source_id", "provenance", "strength", "note", "fetched_at"):
            if not isinstance(entry[key], str):
                raise FactcheckError(f"{where}: {key!r} must be a string")
        try:
            body = (folder / name).read_bytes()
        except OSError as err:
            raise FactcheckError(f"{folder / name}: cannot read: {err.strerror or err}") from None
        try:
            made.append(
                archive.add_copy(
                    entry["source_id"],
                    body,
                    provenance=entry["provenance"],
                    strength=entry["strength"],
                    note=entry["note"],
                    seen_at=seen_at,
                    kind=entry.get("kind"),
                    url=entry.get("url") or None,
                    fetched_at=entry["fetched_at"],
                )
            )
        except ValueError as err:
            raise FactcheckError(f"{where}: {err}") from None
    return made


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m factcheck.archive build-bundled``: rebuild the bundled archive from its manifest."""
    from factcheck.sources import bundled_sources_dir

    parser = argparse.ArgumentParser(prog="python -m factcheck.archive")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser(
        "build-bundled", help="rebuild <sources>/archive from originals/manifest.toml"
    )
    build.add_argument("--sources", type=Path, default=None, help="sources folder (default: the bundled one)")
    args = parser.parse_args(argv)
    sources = args.sources or bundled_sources_dir()
    try:
        made = build_archive_from_manifest(
            sources / "originals" / "manifest.toml", Archive(sources / "archive")
        )
    except FactcheckError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    for capture in made:
        print(
            f"{capture.source_id}: {capture.provenance}/{capture.strength}, "
            f"sha256 {capture.sha256[:12]}…, {capture.size} bytes"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
