"""The PDF builder, read back with poppler's tools (pdftotext, pdfinfo, pdftohtml, pdfimages)."""

from __future__ import annotations

import io
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from linksdesk.reports.pdf import PdfDocument


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def _text(path: Path) -> str:
    return _run("pdftotext", "-layout", str(path), "-")


def _png(width: int = 120, height: int = 60) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(buf, format="PNG")
    return buf.getvalue()


def _sample(tmp_path: Path, rows: int = 150) -> Path:
    doc = PdfDocument(
        "Canary record Ŵ",
        author="Northfield Links",
        language="en-GB",
        created=datetime(2026, 12, 4, 9, 30, tzinfo=UTC),
    )
    doc.title_page(
        "Everything held about Zoë Łukasz-Ünal",
        subtitle="Right of access",
        details=[("Participant", "P1042"), ("Produced", "4 December 2026")],
        notice="This record is complete.",
    )
    doc.heading("Profile")
    doc.key_values([("Name", "Zoë Łukasz-Ünal — “quoted”"), ("Address", "1 Long Road\nTown")])
    doc.heading("Contacts")
    doc.heading("Contact details", level=2)
    doc.table(
        ["When", "Kind", "Notes"],
        [
            [f"2026-01-{i % 28 + 1:02d}", f"rowcanary{i:03d}", "long text " * (i % 9)]
            for i in range(rows)
        ],
        col_widths=(1, 1, 3),
    )
    doc.heading("Chart")
    doc.image(_png(), width_mm=80, alt_text="A blue box")
    doc.heading("Empty section")
    doc.table(["A", "B"], [], empty_text="Nothing recorded here.")
    out = tmp_path / "sample.pdf"
    doc.save(out)
    return out


def test_text_is_selectable_unicode_and_every_page_is_numbered(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    text = _text(path)
    assert "Everything held about Zoë Łukasz-Ünal" in text
    assert "Zoë Łukasz-Ünal — “quoted”" in text
    pages = int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))  # type: ignore[union-attr]
    assert pages >= 4
    for n in range(1, pages + 1):
        assert f"Page {n} of {pages}" in text
    # every table row made it, in order, and the empty table says so
    found = re.findall(r"rowcanary(\d{3})", text)
    assert found == [f"{i:03d}" for i in range(150)]
    assert "Nothing recorded here." in text


def test_table_header_repeats_on_every_page_the_table_runs_onto(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    pages = _text(path).split("\f")
    table_pages = [p for p in pages if "rowcanary" in p]
    assert len(table_pages) >= 3
    for page in table_pages:
        assert re.search(r"When\s+Kind\s+Notes", page), page[:200]


def test_metadata_title_author_producer_language(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    info = _run("pdfinfo", str(path))
    assert re.search(r"Title:\s+Canary record Ŵ", info)
    assert re.search(r"Author:\s+Northfield Links", info)
    assert re.search(r"Producer:\s+LinksDesk", info)
    assert re.search(r"Creator:\s+LinksDesk", info)
    assert b"/Lang (en-GB)" in path.read_bytes()
    fonts = _run("pdffonts", str(path))
    assert "DejaVuSans" in fonts and "Helvetica" not in fonts


def test_headings_are_bookmarks_nested_by_level(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    xml = _run("pdftohtml", "-xml", "-stdout", "-i", "-q", str(path))
    outline = xml[xml.index("<outline>") :]
    titles = re.findall(r"<item page=\"\d+\">([^<]+)</item>", outline)
    assert titles == ["Profile", "Contacts", "Contact details", "Chart", "Empty section"]
    # the level-2 heading sits in a nested outline under "Contacts"
    assert re.search(r"Contacts</item>\s*<outline>\s*<item page=\"\d+\">Contact details", outline)


def test_image_is_embedded_at_its_size(tmp_path: Path) -> None:
    path = _sample(tmp_path)
    listing = _run("pdfimages", "-list", str(path))
    assert re.search(r"\s120\s+60\s+rgb", listing), listing


def test_a_cell_longer_than_a_page_carries_on_instead_of_failing(tmp_path: Path) -> None:
    doc = PdfDocument("Long", author="x")
    words = " ".join(f"w{i:04d}" for i in range(2500))
    doc.table(["When", "Note"], [["today", words]], col_widths=(1, 4))
    out = tmp_path / "long.pdf"
    doc.save(out)
    text = _text(out)
    assert re.findall(r"w(\d{4})", text) == [f"{i:04d}" for i in range(2500)]
    assert doc.page_count >= 2


def test_bad_table_shape_is_refused_before_writing(tmp_path: Path) -> None:
    with PdfDocument("Bad", author="x") as doc:
        with pytest.raises(ValueError, match="one cell per header"):
            doc.table(["A", "B"], [["only one"]])
        with pytest.raises(ValueError, match="one width per column"):
            doc.table(["A", "B"], [["1", "2"]], col_widths=(1,))


def test_save_leaves_no_partial_file(tmp_path: Path) -> None:
    path = _sample(tmp_path, rows=3)
    assert path.read_bytes().startswith(b"%PDF-")
    assert not list(tmp_path.glob("*.part"))


def test_paragraphs_wrap_inside_the_margins_and_keep_every_word(tmp_path: Path) -> None:
    import random

    rng = random.Random(7)
    words = [f"w{i:04d}" + "x" * rng.randrange(0, 12) for i in range(1500)]
    long_token = "L" * 400  # a pasted link or reference with no spaces
    with PdfDocument("Wrap", author="x") as doc:
        doc.paragraph(" ".join(words))
        doc.paragraph(f"first line\nsecond  line\n{long_token}\nlast")
        out = tmp_path / "wrap.pdf"
        doc.save(out)
    text = _text(out)
    assert re.findall(r"w(\d{4})", text) == [f"{i:04d}" for i in range(1500)]
    assert "first line\nsecond" in text  # the line break is kept
    assert text.count("L") >= 400 and "last" in text
    # nothing runs past the right margin (18 mm on an A4 page 595.28 pt wide)
    bbox = _run("pdftotext", "-bbox", str(out), "-")
    right_edge = 595.28 - 18 / 25.4 * 72
    x_max = [float(x) for x in re.findall(r'xMax="([\d.]+)"', bbox)]
    assert x_max and max(x_max) <= right_edge + 0.5


def test_table_columns_widen_to_their_longest_word_instead_of_breaking_it(
    tmp_path: Path,
) -> None:
    # the board report's shape: a wide first column, then narrow equal ones whose
    # headings are single long words that used to break ("Baseli ne")
    headers = ["Worker", "Participants", "Baseline", "Deterioration", "Improvement",
               "Confidence", "Unchanged"]  # fmt: skip
    rows = [[f"W{i}", *[str(i * 7 + j) for j in range(len(headers) - 1)]] for i in range(5)]
    with PdfDocument("Columns", author="x") as doc:
        doc.table(headers, rows, col_widths=[2.5, *([1.0] * (len(headers) - 1))])
        out = tmp_path / "columns.pdf"
        doc.save(out)
    words = re.findall(r">([^<]+)</word>", _run("pdftotext", "-bbox", str(out), "-"))
    for heading in headers:
        assert heading in words, heading  # whole, not split across two lines
    assert [w for w in words if w.startswith("W") and w[1:].isdigit()] == [
        f"W{i}" for i in range(5)
    ]


def test_a_table_too_wide_for_its_words_prints_smaller_instead_of_breaking_them(
    tmp_path: Path,
) -> None:
    # the board report's referrals by source and month: twelve months and a total, too
    # many columns at 9 pt for whole words ("202 / 6-01", "Tota / l" a board had to read)
    months = [f"2026-{m:02d}" for m in range(1, 13)]
    headers = ["Source", *months, "Total"]
    rows = [["Community organisation", *["12"] * 12, "144"], ["GP", *["0"] * 12, "0"]]
    with PdfDocument("Months", author="x") as doc:
        doc.table(headers, rows, col_widths=[2.5, *([1.0] * 13)])
        out = tmp_path / "months.pdf"
        doc.save(out)
    words = re.findall(r">([^<]+)</word>", _run("pdftotext", "-bbox", str(out), "-"))
    assert "Total" in words and "Source" in words and "organisation" in words
    # a month is whole, or broken only after its hyphen
    for month in months:
        year, number = month.split("-")
        assert month in words or (f"{year}-" in words and number in words), month
    assert "202" not in words and not any(w.startswith("6-") for w in words)


@pytest.mark.parametrize("mark", ["\u2028", "\u2029", "\r\n", "\r", "\x85"])
def test_every_line_break_of_pasted_text_breaks_the_line(tmp_path: Path, mark: str) -> None:
    doc = PdfDocument("Breaks", author="Northfield Links")
    doc.paragraph(f"the letter{mark}said more")
    doc.key_values([("Address", f"1 Long Road{mark}Town")])
    out = tmp_path / "breaks.pdf"
    doc.save(out)
    lines = [line.strip() for line in _text(out).splitlines() if line.strip()]
    assert "the letter" in lines and "said more" in lines
    assert not any("lettersaid" in line or "RoadTown" in line for line in lines)
