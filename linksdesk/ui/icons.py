"""Icons drawn from the SVGs in ``resources/icons`` (found by linksdesk.core.resources)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from linksdesk.core.resources import resource_dir

_SIZES = (16, 20, 24, 32, 48, 64)


def icon_path(name: str) -> Path:
    path = resource_dir() / "icons" / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"no icon named {name!r}")
    return path


def icon_names() -> list[str]:
    return sorted(p.stem for p in (resource_dir() / "icons").glob("*.svg"))


def _palette_colour(role: QPalette.ColorRole, fallback: str) -> QColor:
    if QGuiApplication.instance() is None:
        return QColor(fallback)
    return QGuiApplication.palette().color(role)


@cache
def _svg_text(name: str) -> str:
    return icon_path(name).read_text(encoding="utf-8")


@cache
def _icon(name: str, colour: str, disabled_colour: str, on_colour: str | None = None) -> QIcon:
    result = QIcon()
    variants = [
        (QIcon.Mode.Normal, QIcon.State.Off, colour),
        (QIcon.Mode.Disabled, QIcon.State.Off, disabled_colour),
    ]
    if on_colour is not None:  # checked navigation buttons sit on the highlight colour
        variants.append((QIcon.Mode.Normal, QIcon.State.On, on_colour))
        variants.append((QIcon.Mode.Active, QIcon.State.On, on_colour))
    for mode, state, tint in variants:
        renderer = QSvgRenderer(QByteArray(_svg_text(name).replace("currentColor", tint).encode()))
        if not renderer.isValid():
            raise ValueError(f"icon {name!r} is not a valid SVG")
        for size in _SIZES:
            # drawn at 1x and 2x so icons stay sharp at 150 % and 200 % scaling
            for scale in (1, 2):
                pixmap = QPixmap(size * scale, size * scale)
                pixmap.fill(Qt.GlobalColor.transparent)
                painter = QPainter(pixmap)
                renderer.render(painter)
                painter.end()
                pixmap.setDevicePixelRatio(scale)
                result.addPixmap(pixmap, mode, state)
    return result


def icon(name: str, colour: str | None = None, *, checkable: bool = False) -> QIcon:
    """The icon ``resources/icons/<name>.svg`` drawn in ``colour`` (default: the text colour).

    ``checkable`` adds a checked variant in the highlighted-text colour.
    """
    tint = QColor(colour) if colour else _palette_colour(QPalette.ColorRole.WindowText, "#3b4452")
    # SVG has no 8-digit hex, so the disabled tint is mixed with the background instead
    back = _palette_colour(QPalette.ColorRole.Window, "#f4f5f7")
    disabled = QColor(
        (tint.red() * 2 + back.red() * 3) // 5,
        (tint.green() * 2 + back.green() * 3) // 5,
        (tint.blue() * 2 + back.blue() * 3) // 5,
    )
    on = None
    if checkable:
        on = _palette_colour(QPalette.ColorRole.HighlightedText, "#ffffff").name()
    return _icon(name, tint.name(), disabled.name(), on)


def clear_cache() -> None:
    """Forget drawn icons, e.g. after the palette switched between light and dark."""
    _icon.cache_clear()
