"""Peak memory and time of reading PDFs with factcheck.documents.read_document, against pypdf.

The issue's target: peak memory under 300 MB while reading a 50 MB PDF, and fast on a 1 MB PDF.
Three PDFs are generated into a temporary folder (nothing is committed) by the minimal PDF writer the
tests use:

* ``text-50MB``: about 50 MB of uncompressed text pages (some 14,000 pages): the worst case for
  memory, since every byte is text that ends up in ``Document.text``;
* ``mixed-50MB``: 250 pages of compressed text, each with a 200 KB image: the common shape of a
  large report, where most of the bytes are not text;
* ``text-1MB``: about 1 MB of text pages, for speed.

Each reading runs in a fresh subprocess and reports wall time and the process's peak resident set
(``ru_maxrss``, which counts PDFium's C allocations too) and the growth over the process's resident
set before the reading (interpreter, imports and the PDF's bytes). ``--tracemalloc`` adds a run
that reports Python's own peak allocation. pypdf (``PdfReader(...).pages[i].extract_text()``), the
obvious alternative and already a dependency, is measured on the same files in the same run.

Run from the repository root: ``python benchmarks/bench_pdf_memory.py [--quick] [--tracemalloc]``
(``--quick`` skips pypdf on the 50 MB text PDF, which takes over a minute).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_MB = 300.0

_TEXT = (
    "the report said officials were detained and released after several days while human rights groups "
    "called for an independent investigation into allegations of torture in the region according to "
    "witnesses who spoke on condition of anonymity a spokesperson for the ministry declined to comment on "
    "the findings of the mission which visited the capital twice during the autumn and met with lawyers "
    "journalists and families of those missing since December authorities denied any wrongdoing"
)
_WORDS = _TEXT.split(" ")


def _page(rnd: random.Random) -> list[list[str]]:
    """Six paragraphs of seven lines of about 75 characters: a dense page of running text."""
    paragraphs = []
    for _ in range(6):
        lines = []
        for _ in range(7):
            words: list[str] = []
            while sum(len(w) + 1 for w in words) < 75:
                words.append(rnd.choice(_WORDS))
            lines.append(" ".join(words))
        paragraphs.append(lines)
    return paragraphs


def generate(folder: Path) -> dict[str, Path]:
    sys.path.insert(0, str(ROOT))
    from tests.test_documents import make_pdf

    rnd = random.Random(1)
    per_page = len(make_pdf([_page(rnd) for _ in range(20)])) / 20
    files = {}
    specs: dict[str, dict[str, int | bool]] = {
        "text-1MB": {"pages": round(1_050_000 / per_page)},
        "text-50MB": {"pages": round(52_500_000 / per_page)},
        "mixed-50MB": {"pages": 250, "compress": True, "image_bytes": 200_000},
    }
    for name, spec in specs.items():
        pages = [_page(rnd) for _ in range(int(spec.pop("pages")))]
        body = make_pdf(pages, **spec)  # type: ignore[arg-type]
        path = folder / f"{name}.pdf"
        path.write_bytes(body)
        files[name] = path
        del pages, body
    return files


def _peak_rss_mb() -> float:
    """This process's peak resident set in MB.

    VmHWM belongs to the process image and starts afresh at exec; ``ru_maxrss`` does not on Linux (a
    child inherits the high-water mark of the parent it was forked from), so it is only the fallback.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(reader: str, path: str, trace: bool) -> None:
    """Runs in the subprocess: read ``path`` with ``reader`` and print the figures as JSON."""
    sys.path.insert(0, str(ROOT))
    import tracemalloc

    from factcheck.documents import read_document  # imported before measuring: not part of the reading

    if reader == "pypdf":
        import io

        from pypdf import PdfReader
    body = Path(path).read_bytes()
    before = _peak_rss_mb()
    if trace:
        tracemalloc.start()
    start = time.perf_counter()
    if reader == "factcheck":
        doc = read_document(body, "application/pdf")
        chars, pages = len(doc.text), len(doc.pages)
    else:
        pdf = PdfReader(io.BytesIO(body))
        texts = [page.extract_text() for page in pdf.pages]
        chars, pages = sum(map(len, texts)), len(texts)
    seconds = time.perf_counter() - start
    traced = tracemalloc.get_traced_memory()[1] / 2**20 if trace else None
    peak = _peak_rss_mb()
    figures = {"seconds": seconds, "peak": peak, "before": before, "traced": traced}
    print(json.dumps({**figures, "chars": chars, "pages": pages}))


def measure(reader: str, path: Path, trace: bool = False) -> dict[str, float]:
    args = [sys.executable, __file__, "--child", reader, str(path)] + (["--trace"] if trace else [])
    out = subprocess.run(args, capture_output=True, text=True, check=True, timeout=900)
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip pypdf on the 50 MB text PDF")
    parser.add_argument("--tracemalloc", action="store_true", help="also report Python's traced peak")
    parser.add_argument("--child", nargs=2, metavar=("READER", "PATH"), help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1], args.trace)
        return 0

    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        files = generate(Path(tmp))
        print(
            f"generated in {tmp}: "
            + ", ".join(f"{n} {p.stat().st_size / 1e6:.1f} MB" for n, p in files.items())
        )
        print(
            f"{'PDF':<11} {'MB':>6} {'reader':<10} {'pages':>6} {'chars':>11} {'seconds':>8} "
            f"{'peak RSS MB':>11} {'growth MB':>9} {'traced MB':>9}"
        )
        for name, path in files.items():
            size = path.stat().st_size / 1e6
            results = {}
            for reader in ("factcheck", "pypdf"):
                if reader == "pypdf" and args.quick and name == "text-50MB":
                    continue
                r = measure(reader, path)
                if args.tracemalloc and reader == "factcheck":
                    r["traced"] = measure(reader, path, trace=True)["traced"]
                results[reader] = r
                traced = f"{r['traced']:9.1f}" if r.get("traced") is not None else f"{'-':>9}"
                print(
                    f"{name:<11} {size:6.1f} {reader:<10} {int(r['pages']):>6} {int(r['chars']):>11,} "
                    f"{r['seconds']:8.2f} {r['peak']:11.1f} {r['peak'] - r['before']:9.1f} {traced}"
                )
            fc = results["factcheck"]
            if "pypdf" in results:
                py = results["pypdf"]
                print(
                    f"{'':<11} {'':>6} ratio pypdf/factcheck: time {py['seconds'] / fc['seconds']:.1f}x, "
                    f"peak RSS {py['peak'] / fc['peak']:.2f}x"
                )
            if size > 40 and fc["peak"] >= BUDGET_MB:
                ok = False
                print(f"  !! {name}: factcheck's peak RSS {fc['peak']:.0f} MB is over {BUDGET_MB:.0f} MB")
    print("target: peak RSS < 300 MB reading a 50 MB PDF:", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
