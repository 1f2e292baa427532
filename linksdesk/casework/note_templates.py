"""Note templates: the programme's set (first meeting, review, closing summary) for case notes.

Written as plain text, a template per ``## Name`` heading; the programme's own set lives in
settings (and syncs), the defaults ship in ``resources/note_templates.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

from linksdesk.core.resources import resource_path
from linksdesk.core.settings import Settings


@dataclass(frozen=True)
class NoteTemplate:
    name: str
    text: str


def parse(text: str) -> list[NoteTemplate]:
    """Templates from ``## Name`` sections; text before the first heading is ignored."""
    out: list[NoteTemplate] = []
    name: str | None = None
    lines: list[str] = []
    for line in [*text.splitlines(), "## "]:
        if line.startswith("## "):
            if name:
                out.append(NoteTemplate(name, "\n".join(lines).strip("\n")))
            name, lines = line[3:].strip(), []
        elif name is not None:
            lines.append(line)
    return out


def shipped_text() -> str:
    return resource_path("note_templates.md").read_text(encoding="utf-8")


def templates_text(settings: Settings) -> str:
    """The programme's templates as text, or the shipped defaults when it has none."""
    return settings.note_templates or shipped_text()


def templates(settings: Settings) -> list[NoteTemplate]:
    return parse(templates_text(settings))
