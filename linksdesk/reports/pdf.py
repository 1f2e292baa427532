"""The small document builder every LinksDesk PDF is written with (fpdf2, DejaVu, no Qt).

A document is built top to bottom (``with PdfDocument(...) as doc:``): ``title_page``, then
``heading`` / ``paragraph`` / ``key_values`` / ``table`` / ``image`` in reading order, then
``to_bytes`` or ``save``.
Every page carries the document's title and "Page N of M" in its footer; headings become
PDF bookmarks; text stays selectable (pdftotext reads it) and any Unicode the DejaVu font
covers prints as written.
"""

from __future__ import annotations

import functools
import io
import unicodedata
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Final

from fontTools.ttLib import TTFont  # type: ignore[import-untyped]
from fpdf import FPDF, FontFace
from fpdf.enums import Align, TableCellFillMode, XPos, YPos

from linksdesk.core.resources import resource_path

FONT_FAMILY: Final = "DejaVu"
PRODUCER: Final = "LinksDesk"

_BODY_PT: Final = 10
_SMALL_PT: Final = 8
_HEADING_PT: Final = {1: 15, 2: 12, 3: 10.5}
_LINE_MM: Final = 5.0
_TABLE_PT: Final = 9
# a table too wide for its words at 9 pt prints smaller, down to 7 pt, rather than break
# them ("202 / 6-01" for a month a board reads)
_TABLE_SIZES: Final = (9.0, 8.5, 8.0, 7.5, 7.0)
_TABLE_LINE_MM: Final = 4.6
_CELL_PAD_MM: Final = 1.2
# a table row taller than this is carried on in the next row, since fpdf2 keeps a row on one
# page and a long case note would not fit (a page holds ~55 table lines)
_ROW_MAX_LINES: Final = 40
_GREY: Final = (90, 90, 90)
_RULE: Final = (170, 170, 170)
_HEADER_FILL: Final = (225, 230, 236)
# a heading with less than this much page left below it starts on the next page, so it is
# never printed alone at the foot of a page
_KEEP_WITH_NEXT_MM: Final = 30.0


def _font_file(bold: bool) -> Path:
    return resource_path("fonts", "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")


@functools.cache
def _printable_codes() -> frozenset[int]:
    """The characters both DejaVu faces have glyphs for."""
    faces = []
    for bold in (False, True):
        with TTFont(str(_font_file(bold)), lazy=True) as font:
            faces.append(frozenset(font.getBestCmap()))
    return faces[0] & faces[1]


def printable(text: str) -> str:
    """``text`` as the font can print it. A character it has no glyph for (an emoji pasted
    into a note) is named in brackets, "[slightly smiling face]", rather than left out of
    the page without a word; invisible joiners and marks are left to the font."""
    if text.isascii():
        return text
    codes = _printable_codes()
    return "".join(
        ch
        if ord(ch) in codes or unicodedata.category(ch) in _LEFT_TO_THE_FONT
        else f"[{unicodedata.name(ch, 'symbol').lower()}]"
        for ch in text
    )


_LEFT_TO_THE_FONT: Final = frozenset({"Cc", "Cf", "Mn", "Me", "Sk", "Zs"})
_RIGHT_TO_LEFT: Final = frozenset({"R", "AL"})


class _Pages(FPDF):
    """fpdf2's page machine with LinksDesk's footer (title left, page numbers right)."""

    def __init__(self, footer_title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.footer_title = footer_title
        self._shaping = False

    def normalize_text(self, text: str) -> str:
        # every piece of text passes here on its way to the page (and to be measured)
        text = printable(super().normalize_text(text))
        if (
            not self._shaping
            and not text.isascii()
            and any(unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT for ch in text)
        ):
            # Hebrew or Arabic (a name, a pasted note) would print letter by letter from the
            # left, backwards and unjoined: from here on the text is shaped and ordered by
            # HarfBuzz, only in documents that hold some (it costs time)
            self.set_text_shaping(True)
            self._shaping = True
        return text

    def footer(self) -> None:
        self.set_y(-14)
        self.set_draw_color(*_RULE)
        self.line(self.l_margin, self.get_y() - 1, self.w - self.r_margin, self.get_y() - 1)
        self.set_font(FONT_FAMILY, "", _SMALL_PT)
        self.set_text_color(*_GREY)
        half = self.epw / 2
        self.cell(half, 5, self.footer_title, align=Align.L)
        self.cell(half, 5, f"Page {self.page_no()} of {self.str_alias_nb_pages}", align=Align.R)
        self.set_text_color(0, 0, 0)


def _plain_breaks(text: str) -> str:
    """``text`` with every line break a pasted text may carry as "\n": \r\n, \r, and
    Unicode's own (U+2028 from a word processor ran two words together on the page)."""
    return "\n".join((text + "\n").splitlines())  # the "\n" keeps a last empty line


class PdfDocument:
    """One PDF being written: add parts in reading order, then ``to_bytes()``.

    ``title`` goes into the PDF's metadata and every page footer (``footer`` when given);
    ``author`` is who the document is from (a programme or a links worker), ``language`` a
    BCP 47 tag. The metadata is what a viewer's window and tab, a print queue's job list
    and a desktop's file search show without opening the document: a document about a
    participant gives a title naming them by programme id only, and their name in
    ``footer``.
    """

    def __init__(
        self,
        title: str,
        *,
        author: str,
        language: str = "en-GB",
        subject: str = "",
        keywords: str = "",
        created: datetime | None = None,
        footer: str | None = None,
    ) -> None:
        self._pdf = _Pages(footer_title=title if footer is None else footer)
        pdf = self._pdf
        pdf.add_font(FONT_FAMILY, "", str(_font_file(bold=False)))
        pdf.add_font(FONT_FAMILY, "B", str(_font_file(bold=True)))
        pdf.set_title(title)
        pdf.set_author(author)
        pdf.set_creator(PRODUCER)
        pdf.set_producer(PRODUCER)
        pdf.set_lang(language)
        if subject:
            pdf.set_subject(subject)
        if keywords:
            pdf.set_keywords(keywords)
        if created is not None:
            pdf.set_creation_date(created)
        pdf.set_margins(left=18, top=18, right=18)
        pdf.set_auto_page_break(auto=True, margin=20)
        pdf.set_display_mode(zoom="fullwidth", layout="continuous")
        self._last_heading_level = 0
        self._started = False
        self._needs_page = False
        self._widths: dict[tuple[str, str, float], dict[str, float]] = {}

    # ---------------------------------------------------------------- building blocks

    def title_page(
        self,
        title: str,
        *,
        subtitle: str = "",
        details: Sequence[tuple[str, str]] = (),
        notice: str = "",
    ) -> None:
        """A first page with the title, an optional subtitle, facts about the document and a
        boxed notice (e.g. "This record is complete" or what was left out)."""
        self._new_page()
        pdf = self._pdf
        pdf.set_y(45)
        pdf.set_font(FONT_FAMILY, "B", 22)
        pdf.multi_cell(0, 10, title, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        if subtitle:
            pdf.ln(2)
            pdf.set_font(FONT_FAMILY, "", 13)
            pdf.set_text_color(*_GREY)
            pdf.multi_cell(0, 7, subtitle, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.set_text_color(0, 0, 0)
        pdf.ln(10)
        if details:
            self.key_values(details)
        if notice:
            pdf.ln(6)
            pdf.set_font(FONT_FAMILY, "", _BODY_PT)
            pdf.set_draw_color(*_RULE)
            pdf.set_fill_color(245, 245, 245)
            pdf.multi_cell(
                0,
                _LINE_MM + 0.5,
                notice,
                align=Align.L,
                border=1,
                fill=True,
                padding=3,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
        # the body starts on a fresh page
        self._needs_page = True

    def heading(self, text: str, level: int = 1) -> None:
        """A heading that is also a bookmark in the PDF's outline (level 1 = top)."""
        if level not in _HEADING_PT:
            raise ValueError(f"heading level must be 1, 2 or 3, not {level}")
        self._ensure_page()
        pdf = self._pdf
        # the outline may only go one level deeper at a time
        level = min(level, self._last_heading_level + 1)
        self._last_heading_level = level
        space_before = {1: 6.0, 2: 4.0, 3: 2.5}[level]
        keep = _KEEP_WITH_NEXT_MM * (1.6 if level == 1 else 1.0)
        if pdf.get_y() + space_before + keep > pdf.page_break_trigger:
            pdf.add_page()
        elif pdf.get_y() > pdf.t_margin + 1:
            pdf.ln(space_before)
        pdf.start_section(text, level=level - 1)
        pdf.set_font(FONT_FAMILY, "B", _HEADING_PT[level])
        pdf.multi_cell(
            0, _HEADING_PT[level] * 0.5, text, align=Align.L, new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
        if level == 1:
            pdf.set_draw_color(*_RULE)
            pdf.line(pdf.l_margin, pdf.get_y() + 0.8, pdf.w - pdf.r_margin, pdf.get_y() + 0.8)
            pdf.ln(2.5)
        else:
            pdf.ln(1)

    def paragraph(self, text: str, *, small: bool = False, muted: bool = False) -> None:
        """Running text, left aligned; line breaks in ``text`` are kept, long lines wrap."""
        self._ensure_page()
        pdf = self._pdf
        pdf.set_font(FONT_FAMILY, "", _SMALL_PT if small else _BODY_PT)
        if muted:
            pdf.set_text_color(*_GREY)
        height = 4.0 if small else _LINE_MM
        # one cell per wrapped line: fpdf2's multi_cell re-measures the whole line for every
        # character, which made a long record's case notes take seconds to lay out
        # a cell insets its text by c_margin on both sides
        for line in self._wrap(text, pdf.epw - 2 * pdf.c_margin):
            pdf.cell(0, height, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.ln(1.5)

    def key_values(self, pairs: Sequence[tuple[str, str]], *, key_width_mm: float = 50) -> None:
        """Label: value lines, the labels in bold in a column of their own."""
        self._ensure_page()
        pdf = self._pdf
        for key, value in pairs:
            pdf.set_font(FONT_FAMILY, "", _BODY_PT)
            value_height = self._text_height(value or "—", pdf.epw - key_width_mm)
            pdf.set_font(FONT_FAMILY, "B", _BODY_PT)
            key_height = self._text_height(key, key_width_mm)
            if pdf.get_y() + min(max(value_height, key_height), 40) > pdf.page_break_trigger:
                pdf.add_page()
            key_bottom = pdf.get_y() + key_height
            pdf.multi_cell(
                key_width_mm,
                _LINE_MM,
                _plain_breaks(key),
                new_x=XPos.RIGHT,
                new_y=YPos.TOP,
                max_line_height=_LINE_MM,
            )
            pdf.set_font(FONT_FAMILY, "", _BODY_PT)
            pdf.multi_cell(
                0,
                _LINE_MM,
                _plain_breaks(value or "—"),
                align=Align.L,
                new_x=XPos.LMARGIN,
                new_y=YPos.NEXT,
            )
            pdf.set_y(max(pdf.get_y(), key_bottom))
        pdf.ln(2)

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        col_widths: Sequence[float] | None = None,
        empty_text: str = "None recorded.",
    ) -> None:
        """A table with a header row repeated at the top of every page it runs onto.

        ``col_widths`` are relative (e.g. ``(1, 3, 1)``); a table with no rows prints
        ``empty_text`` instead, so an empty section still says so.
        """
        self._ensure_page()
        if not rows:
            self.paragraph(empty_text, muted=True)
            return
        if col_widths is not None and len(col_widths) != len(headers):
            raise ValueError("col_widths must give one width per column")
        for row in rows:
            if len(row) != len(headers):
                raise ValueError("every table row needs one cell per header")
        pdf = self._pdf
        pdf.set_draw_color(*_RULE)
        given = col_widths if col_widths is not None else [1.0] * len(headers)
        widths = [pdf.epw * w / sum(given) for w in given]
        size: float = _TABLE_PT
        need = self._word_widths(headers, rows, size)
        if sum(need) <= pdf.epw:
            widths = self._no_broken_words(need, widths)
        else:  # too many columns for whole words at 9 pt: smaller, in the widths given
            size = next(
                (
                    pt
                    for pt in _TABLE_SIZES[1:]
                    if all(
                        n <= w
                        for n, w in zip(self._word_widths(headers, rows, pt), widths, strict=True)
                    )
                ),
                _TABLE_SIZES[-1],
            )
        pdf.set_font(FONT_FAMILY, "", size)
        widths_mm = [w - 2 * _CELL_PAD_MM for w in widths]
        with pdf.table(
            col_widths=tuple(widths),
            headings_style=FontFace(emphasis="BOLD", fill_color=_HEADER_FILL),
            cell_fill_mode=TableCellFillMode.NONE,
            line_height=_TABLE_LINE_MM * size / _TABLE_PT,
            text_align="LEFT",
            padding=_CELL_PAD_MM,
            repeat_headings=1,
            width=pdf.epw,
        ) as table:
            table.row(list(headers))
            for cells in rows:
                for part in self._split_tall_row([str(c) for c in cells], widths_mm):
                    table.row(part)
        pdf.ln(3)

    def image(self, png: bytes, *, width_mm: float | None = None, alt_text: str = "") -> None:
        """A picture (PNG or JPEG bytes, e.g. a chart), scaled to ``width_mm`` or the page."""
        self._ensure_page()
        pdf = self._pdf
        width = min(width_mm or pdf.epw, pdf.epw)
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=width, alt_text=alt_text or None)
        pdf.ln(3)

    # ---------------------------------------------------------------- output

    @property
    def page_count(self) -> int:
        return int(self._pdf.pages_count)

    def to_bytes(self) -> bytes:
        """The finished PDF (an empty document still gets one page); closes the font files."""
        try:
            self._ensure_page()
            return bytes(self._pdf.output())
        finally:
            self.close()

    def close(self) -> None:
        """Let go of the font files (fpdf2 reads them lazily and keeps them open till then)."""
        for font in self._pdf.fonts.values():
            closer = getattr(font, "close", None)
            if closer is not None:
                closer()

    def __enter__(self) -> PdfDocument:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def save(self, path: Path) -> None:
        """Write the PDF to ``path`` (written whole to a sibling file first, then renamed)."""
        data = self.to_bytes()
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        partial.replace(path)

    # ---------------------------------------------------------------- internals

    def _new_page(self) -> None:
        self._pdf.add_page()
        self._started = True
        self._needs_page = False

    def _ensure_page(self) -> None:
        if not self._started or self._needs_page:
            self._new_page()

    def _word_widths(
        self, headers: Sequence[str], rows: Sequence[Sequence[str]], size: float
    ) -> list[float]:
        """Each column's longest word (headers bold) at ``size`` points, with its padding."""
        pdf = self._pdf
        need = [0.0] * len(headers)
        for style, texts in (("B", [list(headers)]), ("", [[str(c) for c in r] for r in rows])):
            pdf.set_font(FONT_FAMILY, style, size)
            for cells in texts:
                for i, text in enumerate(cells):
                    longest = max((self._width(w) for w in text.split()), default=0.0)
                    need[i] = max(need[i], longest + 2 * _CELL_PAD_MM + 0.5)
        return need

    def _no_broken_words(self, need: list[float], widths: list[float]) -> list[float]:
        """``widths`` (mm, summing to the page's width) with each column widened to its
        longest word (``need``: "Baseline", "Participants") where the page allows, taken
        from the columns with room to spare, so a word is broken only when nothing else
        fits."""
        total = sum(widths)
        if sum(need) > total:
            return widths  # too many columns for any layout: words break as before
        fixed = [False] * len(widths)
        while True:
            short = [i for i, w in enumerate(widths) if not fixed[i] and w < need[i]]
            if not short:
                return widths
            for i in short:
                widths[i], fixed[i] = need[i], True
            free = [i for i in range(len(widths)) if not fixed[i]]
            room = total - sum(widths[i] for i in range(len(widths)) if fixed[i])
            scale = room / sum(widths[i] for i in free) if free else 1.0
            for i in free:
                widths[i] *= scale

    def _split_tall_row(self, cells: list[str], widths_mm: list[float]) -> list[list[str]]:
        """One row, or several when it would not fit on a page (fpdf2 cannot split a row)."""
        wrapped = [
            self._wrap(text, width) if text else [""]
            for text, width in zip(cells, widths_mm, strict=True)
        ]
        tallest = max(len(lines) for lines in wrapped)
        if tallest <= _ROW_MAX_LINES:
            return [cells]
        parts: list[list[str]] = []
        for start in range(0, tallest, _ROW_MAX_LINES):
            parts.append(["\n".join(lines[start : start + _ROW_MAX_LINES]) for lines in wrapped])
        return parts

    def _width(self, text: str) -> float:
        """Width of ``text`` in the current font, remembered per font, style and size."""
        pdf = self._pdf
        cache = self._widths.setdefault((pdf.font_family, pdf.font_style, pdf.font_size_pt), {})
        width = cache.get(text)
        if width is None:
            width = cache[text] = float(pdf.get_string_width(text))
        return width

    def _wrap(self, text: str, width: float) -> list[str]:
        """``text`` broken into lines no wider than ``width`` in the current font (greedy, at
        spaces; a word longer than a line is broken between characters)."""
        limit = width - 0.2  # a hair of slack for rounding in the PDF's own measure
        space = self._width(" ")
        lines: list[str] = []
        for raw in _plain_breaks(text).expandtabs(4).split("\n"):
            line, line_width = "", 0.0
            for word in raw.split(" "):
                word_width = self._width(word)
                gap = space if line or line_width else 0.0
                if line_width + gap + word_width <= limit:
                    line, line_width = (
                        (f"{line} {word}" if gap else word),
                        line_width + gap + word_width,
                    )
                    continue
                if line or line_width:
                    lines.append(line)
                    line, line_width = "", 0.0
                while word_width > limit:
                    cut, cut_width = "", 0.0
                    for char in word:
                        char_width = self._width(char)
                        if cut and cut_width + char_width > limit:
                            break
                        cut, cut_width = cut + char, cut_width + char_width
                    lines.append(cut)
                    word = word[len(cut) :]
                    word_width = self._width(word)
                line, line_width = word, word_width
            lines.append(line)
        return lines

    def _text_height(self, text: str, width: float) -> float:
        return float(len(self._wrap(text, width)) * _LINE_MM)
