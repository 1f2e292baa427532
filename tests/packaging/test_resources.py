"""resources/ is found from a checkout, an installed wheel and the frozen app, and holds the set."""

from __future__ import annotations

import configparser
import json
import os
import struct
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from linksdesk.core import registry, resources

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _fresh_lookup() -> Iterator[None]:
    resources.resource_dir.cache_clear()
    yield
    resources.resource_dir.cache_clear()


def test_a_checkout_finds_the_top_level_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LINKSDESK_RESOURCES", raising=False)
    assert resources.resource_dir() == ROOT / "resources"
    assert resources.resource_path("icons", "lock.svg").is_file()
    assert not (ROOT / "linksdesk" / "ui" / "resources").exists()  # the old place is gone
    with pytest.raises(FileNotFoundError, match=r"icons/nothing\.svg"):
        resources.resource_path("icons", "nothing.svg")


def test_the_frozen_app_looks_under_meipass(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("LINKSDESK_RESOURCES", raising=False)
    (tmp_path / "resources" / "icons").mkdir(parents=True)
    (tmp_path / "resources" / "icons" / "lock.svg").write_text("<svg/>")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.resource_path("icons", "lock.svg") == tmp_path / "resources/icons/lock.svg"


def test_an_installed_wheel_carries_resources(tmp_path: Path) -> None:
    """Build the real wheel, install it into a bare folder and ask it where resources/ is."""
    env = {k: v for k, v in os.environ.items() if k not in ("LINKSDESK_RESOURCES", "PYTHONPATH")}
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
        env=env,
        timeout=240,
    )
    (wheel,) = tmp_path.glob("linksdesk-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
    for path in (ROOT / "resources").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            inside = "linksdesk/_resources/" + path.relative_to(ROOT / "resources").as_posix()
            assert inside in names, f"{inside} is not in the wheel"
    # pure data the modules read at import (the table registry…) ships beside them
    for path in (ROOT / "linksdesk").rglob("*.toml"):
        inside = path.relative_to(ROOT).as_posix()
        assert inside in names, f"{inside} is not in the wheel"
    site = tmp_path / "site"
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(site)  # what installing a pure wheel does
    probe = subprocess.run(
        [
            sys.executable,
            "-I",  # isolated: neither the checkout nor the editable install is on the path
            "-c",
            f"import sys; sys.path.insert(0, {str(site)!r});"
            "from linksdesk.core.resources import guide_path, resource_path;"
            "print(resource_path('icons', 'app.svg'));"
            "print(guide_path());"
            "from linksdesk.core import registry;"
            "print(len(registry.TABLES))",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
        timeout=60,
    )
    icon, guide, tables = probe.stdout.split()
    assert int(tables) == len(registry.TABLES)
    assert Path(icon) == site / "linksdesk/_resources/icons/app.svg"
    assert Path(guide) == site / "linksdesk/_resources/guide/user-guide.md"
    assert (site / "linksdesk/_resources/guide/screenshots/unlock.png").is_file()


def test_the_application_icon_set_is_complete() -> None:
    folder = ROOT / "resources" / "app-icon"
    assert (folder / "linksdesk.svg").read_text().startswith("<svg")
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = (folder / "png" / f"linksdesk-{size}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", png[16:24])
        assert (width, height) == (size, size)
    ico = (folder / "linksdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind) == (0, 1) and count >= 6
    sizes = set()
    for i in range(count):
        w, _h, _c, _r, _p, _bpp, length, offset = struct.unpack(
            "<BBBBHHII", ico[6 + 16 * i : 22 + 16 * i]
        )
        assert ico[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(ico)
        sizes.add(w or 256)
    assert {16, 32, 48, 256} <= sizes  # what Windows asks for in Explorer and the taskbar


def test_linux_desktop_entry_and_appstream_metadata() -> None:
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # type: ignore[assignment,method-assign]
    entry.read(ROOT / "resources" / "linux" / "linksdesk.desktop", encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Type"] == "Application"
    assert desktop["Exec"].split()[0] == "linksdesk"
    assert desktop["Icon"] == "linksdesk"
    assert desktop["Categories"].endswith(";")
    meta = ET.parse(ROOT / "resources" / "linux" / "org.linksdesk.LinksDesk.metainfo.xml")
    component = meta.getroot()
    assert component.get("type") == "desktop-application"
    assert component.findtext("id") == "org.linksdesk.LinksDesk"
    # the desktop file the metadata launches is the one shipped (and the one Qt names)
    assert component.findtext("launchable") == "linksdesk.desktop"
    from linksdesk import __version__

    assert component.find("releases/release").get("version") == __version__  # type: ignore[union-attr]


def test_every_bundled_component_has_its_licence_text() -> None:
    folder = ROOT / "resources" / "licences"
    components = json.loads((folder / "components.json").read_text(encoding="utf-8"))
    names = {c["name"].lower() for c in components}
    # with the libraries compiled inside a wheel whose own licence file does not carry theirs
    assert {"pyside6", "qt", "sqlcipher", "sqlcipher3", "sqlalchemy", "python"} <= names
    assert {"harfbuzz", "uharfbuzz"} <= names
    for c in components:
        assert c["files"], f"{c['name']} has no licence file"
        for f in c["files"]:
            assert (folder / f).stat().st_size > 100
    qt = next(c for c in components if c["name"] == "Qt")
    assert qt["licence"] == "LGPL-3.0-only"
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in (folder / "LGPL-3.0.txt").read_text()


def test_the_smoke_test_fails_on_a_bundle_missing_a_resource(tmp_path: Path) -> None:
    """What build-app.sh relies on: a resource left out of a build fails the smoke test."""
    import shutil

    bundle = tmp_path / "resources"
    shutil.copytree(ROOT / "resources", bundle)
    shutil.rmtree(bundle / "licences")
    env = {
        **os.environ,
        "LINKSDESK_RESOURCES": str(bundle),
        "QT_QPA_PLATFORM": "offscreen",
        "LINKSDESK_KDF_PROFILE": "fast",
        "HOME": str(tmp_path),
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from linksdesk.ui.main import run; sys.exit(run(['--smoke-test']))",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "resource missing: licences/components.json" in done.stderr


def test_the_licence_list_covers_every_bundled_distribution() -> None:
    """After adding a dependency, rerun scripts/collect_licences.py: this test says so."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "collect_licences", ROOT / "scripts" / "collect_licences.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    listed = {
        module._norm(c["name"])
        for c in json.loads((ROOT / "resources/licences/components.json").read_text("utf-8"))
    }
    missing = sorted(set(module.bundled()) - listed)
    assert missing == [], f"rerun scripts/collect_licences.py: no licence listed for {missing}"
