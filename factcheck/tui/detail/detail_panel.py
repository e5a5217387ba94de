"""Everything about the current claim; it only renders the state handed down to it."""

from __future__ import annotations

from collections.abc import Mapping

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.widgets import Static

from factcheck.pipeline import CheckResult
from factcheck.review import Review
from factcheck.tui.detail.render import (
    DIFF_LEGEND,
    article_context,
    claim_fields,
    claim_heading,
    diff_content,
    has_differences,
    no_evidence_text,
)
from factcheck.tui.fields import FieldList
from factcheck.tui.source import SourcePanel


class DetailPanel(VerticalScroll):
    """The claim, the article paragraph beside the evidence passage, the diff, the reason, the sources."""

    result: var[CheckResult | None] = var(None, always_update=True)
    reviews: var[Mapping[str, Review]] = var(dict, always_update=True)
    current: var[str | None] = var(None)

    def compose(self) -> ComposeResult:
        yield Static(id="claim-heading", markup=False)
        yield FieldList(id="claim-fields")
        with Horizontal(id="passages"):
            yield Static(id="article-context", classes="passage")
            with Vertical(id="evidence-column", classes="passage"):
                yield Static(id="evidence-passage")
                yield Static(id="diff")
        yield FieldList(id="reason")
        yield SourcePanel(id="linked-source", classes="source-panel")
        yield SourcePanel(id="evidence-source", classes="source-panel")

    def watch_result(self) -> None:
        self._show()

    def watch_reviews(self) -> None:
        self._show()

    def watch_current(self) -> None:
        self._show()
        self.scroll_home(animate=False)

    def _show(self) -> None:
        if not self.is_mounted:
            return
        result, claim_id = self.result, self.current
        claims = {c.id: (n, c) for n, c in enumerate(result.claims, 1)} if result else {}
        if result is None or claim_id not in claims:
            self._show_nothing("No claim to show." if result else "Reading the archive…")
            return
        number, claim = claims[claim_id]
        verdict = result.verdicts[claim_id]
        review = self.reviews.get(claim_id)
        self.query_one("#passages").display = True
        self.query_one("#claim-heading", Static).update(claim_heading(number, len(result.claims), claim))
        self.query_one("#claim-fields", FieldList).show(claim_fields(claim, verdict.verdict, review))

        context = self.query_one("#article-context", Static)
        context.border_title = f"Article · paragraph {claim.paragraph + 1}"
        context.update(article_context(result.article, claim))

        passage = self.query_one("#evidence-passage", Static)
        diff = self.query_one("#diff", Static)
        evidence = verdict.evidence
        if evidence is None:
            passage.border_title = "Evidence"
            passage.update(Content.styled(no_evidence_text(verdict.verdict), "italic"))
        else:
            page = f" · page {evidence.page}" if evidence.page else ""
            passage.border_title = f"Evidence · {evidence.source}{page}"
            passage.update(Content(" ".join(evidence.text.split())))
        diff.display = has_differences(verdict.diff)
        if diff.display:
            diff.update(Content("\n").join([diff_content(verdict.diff), DIFF_LEGEND]))

        self.query_one("#reason", FieldList).show([("Reason", verdict.reason)])

        linked_id = verdict.source or claim.source
        sources = {s.id: s for s in result.sources}
        linked = self.query_one("#linked-source", SourcePanel)
        linked.display = linked_id in sources
        if linked_id in sources:
            role = "the claim's source" if linked_id == claim.source else "the speaker's document used"
            linked.show_source(sources[linked_id], result.read.get(linked_id), evidence, role)
        other = self.query_one("#evidence-source", SourcePanel)
        other_id = evidence.source if evidence is not None and evidence.source != linked_id else None
        other.display = other_id in sources
        if other_id is not None and other_id in sources:
            other.show_source(
                sources[other_id], result.read.get(other_id), evidence, "where the words were found"
            )

    def _show_nothing(self, message: str) -> None:
        self.query_one("#claim-heading", Static).update(Content.styled(message, "italic $text-muted"))
        self.query_one("#passages").display = False
        for table in self.query(FieldList):
            table.show([])
        for panel in self.query(SourcePanel):
            panel.display = False
