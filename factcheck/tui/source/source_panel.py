"""A cited source as the reviewer needs it: where it lives, whether it was read, which copy."""

from __future__ import annotations

from textual.content import Content

from factcheck.sources import Source
from factcheck.tui.fields import Field, FieldList
from factcheck.verdicts import Evidence, ReadSource

_STATUS_STYLES = {"live": "bold $success", "archived": "bold $warning", "unavailable": "bold $error"}
_STRENGTH_WORDS = {
    "original": "the original itself",
    "complete": "complete, but not from the original page",
    "secondary": "secondary: rebuilt from reproductions, weaker evidence",
    "partial": "partial: absence from it proves nothing",
}


def _row(label: str, value: Content | str, missing: str = "—") -> Field:
    return (label, value if value else Content.styled(missing, "$text-muted"))


def source_fields(source: Source, read: ReadSource | None, evidence: Evidence | None) -> list[Field]:
    """Title, URLs, HTTP status, live/archived/unavailable, provenance with strength, time and page."""
    title = source.title + (f" — {source.publisher}" if source.publisher else "")
    rows = [_row("Title", title), _row("URL", source.url, "— none known")]
    if read is None:
        rows.append(_row("Status", Content.styled("not read in this check", "$warning")))
        return rows
    acquired, capture = read.acquired, read.acquired.capture
    final_url = acquired.final_url or ""
    rows.append(_row("Final URL", "same as URL" if final_url and final_url == source.url else final_url))
    rows.append(_row("HTTP status", str(acquired.http_status) if acquired.http_status else ""))
    problem = read.error or acquired.error or ""
    status = Content.assemble(
        (acquired.status, _STATUS_STYLES.get(acquired.status, "bold")),
        (f" — {problem}", "$text-muted") if problem else "",
    )
    rows.append(_row("Status", status))
    if capture is not None:
        copy = Content.assemble(
            (capture.provenance, "bold"),
            f" · {_STRENGTH_WORDS.get(capture.strength, capture.strength)}",
        )
        rows.append(_row("Copy", copy))
        if capture.note:
            rows.append(_row("Copy note", Content.styled(" ".join(capture.note.split()), "italic")))
    rows.append(_row("Fetched at", acquired.fetched_at or ""))
    if read.document is not None:
        rows.append(_row("Read as", read.document.kind))
    if evidence is not None and evidence.source == source.id:
        kind = read.document.kind if read.document is not None else "this"
        no_page = "—" if kind == "pdf" else f"— (a {kind} document has no pages)"
        rows.append(_row("Page", str(evidence.page) if evidence.page else "", no_page))
        where = f"paragraph {evidence.paragraph + 1}, " if evidence.paragraph is not None else ""
        rows.append(_row("Evidence at", f"{where}characters {evidence.start}–{evidence.end}"))
    return rows


class SourcePanel(FieldList):
    """One source's details, with the source id as the border title."""

    def show_source(
        self, source: Source, read: ReadSource | None, evidence: Evidence | None, role: str
    ) -> None:
        self.border_title = f"Source: {source.id}"
        self.border_subtitle = role
        self.show(source_fields(source, read, evidence))
