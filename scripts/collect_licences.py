"""Gather the licences of what the desktop app bundles into resources/licences/ (committed).

For each Python distribution the frozen app carries, its licence files are copied from the
installed package's metadata and listed in resources/licences/components.json, which the
About dialog shows. Components that are not Python distributions of their own (Qt inside
PySide6, SQLCipher and SQLite inside sqlcipher3, OpenSSL, CPython) are added by hand below.
Run again after changing dependencies:

    .venv/bin/python scripts/collect_licences.py
"""

from __future__ import annotations

import json
import shutil
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "resources" / "licences"
COMMON = Path("/usr/share/common-licenses")

# the sync server's web stack and database driver stay out of the frozen app (linksdesk.spec
# excludes them), so their licences are not needed there
SERVER_ONLY = {"fastapi", "uvicorn", "psycopg", "psycopg-binary", "starlette"}
# and Qt WebEngine, which the spec leaves out too (some 200 MB the app never loads)
NOT_BUNDLED = SERVER_ONLY | {"pyside6-webengine"}


def _norm(name: str) -> str:
    return name.lower().replace("_", "-").replace(".", "-")


def bundled() -> list[str]:
    """LinksDesk's runtime dependencies and theirs (as installed), less the server's own."""
    from packaging.requirements import Requirement

    seen: set[str] = set()
    todo = [
        Requirement(r)
        for r in metadata.distribution("linksdesk").requires or []
        if "extra ==" not in r
    ]
    while todo:
        req = todo.pop()
        name = _norm(req.name)
        if name in seen or name in NOT_BUNDLED:
            continue
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        seen.add(name)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        todo += [Requirement(r) for r in dist.requires or []]
    return sorted(seen)


SQLCIPHER_LICENCE = """\
Copyright (c) 2008-2025, ZETETIC LLC
All rights reserved.

Redistribution and use in source and binary forms, with or without
modification, are permitted provided that the following conditions are met:
    * Redistributions of source code must retain the above copyright
      notice, this list of conditions and the following disclaimer.
    * Redistributions in binary form must reproduce the above copyright
      notice, this list of conditions and the following disclaimer in the
      documentation and/or other materials provided with the distribution.
    * Neither the name of the ZETETIC LLC nor the
      names of its contributors may be used to endorse or promote products
      derived from this software without specific prior written permission.

THIS SOFTWARE IS PROVIDED BY ZETETIC LLC ''AS IS'' AND ANY
EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE IMPLIED
WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE ARE
DISCLAIMED. IN NO EVENT SHALL ZETETIC LLC BE LIABLE FOR ANY
DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR CONSEQUENTIAL DAMAGES
(INCLUDING, BUT NOT LIMITED TO, PROCUREMENT OF SUBSTITUTE GOODS OR SERVICES;
LOSS OF USE, DATA, OR PROFITS; OR BUSINESS INTERRUPTION) HOWEVER CAUSED AND
ON ANY THEORY OF LIABILITY, WHETHER IN CONTRACT, STRICT LIABILITY, OR TORT
(INCLUDING NEGLIGENCE OR OTHERWISE) ARISING IN ANY WAY OUT OF THE USE OF THIS
SOFTWARE, EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
"""

SQLITE_NOTICE = """\
SQLite is in the public domain (https://sqlite.org/copyright.html):

The author disclaims copyright to this source code. In place of a legal notice,
here is a blessing:

    May you do good and not evil.
    May you find forgiveness for yourself and forgive others.
    May you share freely, never taking more than you give.
"""

HARFBUZZ_LICENCE = """\
HarfBuzz (the text shaping library compiled into uharfbuzz's wheel) is licensed under the
so-called "Old MIT" license. Its notice, from HarfBuzz's COPYING file:

Copyright © 2010-2022  Google, Inc.
Copyright © 2015-2020  Ebrahim Byagowi
Copyright © 2019,2020  Facebook, Inc.
Copyright © 2012,2015  Mozilla Foundation
Copyright © 2011  Codethink Limited
Copyright © 2008,2010  Nokia Corporation and/or its subsidiary(-ies)
Copyright © 2009  Keith Stribley
Copyright © 2011  Martin Hosken and SIL International
Copyright © 2007  Chris Wilson
Copyright © 2005,2006,2020,2021,2022,2023  Behdad Esfahbod
Copyright © 2005  David Turner
Copyright © 2004,2007,2008,2009,2010,2013,2021,2022,2023  Red Hat, Inc.
Copyright © 1998-2004  David Turner and Werner Lemberg
Copyright © 2016  Igalia S.L.
Copyright © 2022  Matthias Clasen
Copyright © 2018,2021  Khaled Hosny
Copyright © 2018,2019,2020  Adobe, Inc

For full copyright notices consult the individual files in the package.


Permission is hereby granted, without written agreement and without
license or royalty fees, to use, copy, modify, and distribute this
software and its documentation for any purpose, provided that the
above copyright notice and the following two paragraphs appear in
all copies of this software.

IN NO EVENT SHALL THE COPYRIGHT HOLDER BE LIABLE TO ANY PARTY FOR
DIRECT, INDIRECT, SPECIAL, INCIDENTAL, OR CONSEQUENTIAL DAMAGES
ARISING OUT OF THE USE OF THIS SOFTWARE AND ITS DOCUMENTATION, EVEN
IF THE COPYRIGHT HOLDER HAS BEEN ADVISED OF THE POSSIBILITY OF SUCH
DAMAGE.

THE COPYRIGHT HOLDER SPECIFICALLY DISCLAIMS ANY WARRANTIES, INCLUDING,
BUT NOT LIMITED TO, THE IMPLIED WARRANTIES OF MERCHANTABILITY AND
FITNESS FOR A PARTICULAR PURPOSE.  THE SOFTWARE PROVIDED HEREUNDER IS
ON AN "AS IS" BASIS, AND THE COPYRIGHT HOLDER HAS NO OBLIGATION TO
PROVIDE MAINTENANCE, SUPPORT, UPDATES, ENHANCEMENTS, OR MODIFICATIONS.
"""

QT_NOTICE = """\
LinksDesk uses Qt and Qt for Python (PySide6, Shiboken6), (c) The Qt Company Ltd and
other contributors, under the GNU Lesser General Public License version 3 (LGPL-3.0).

- The Qt and PySide6 libraries are shipped unmodified, as separate shared libraries in the
  application folder (PySide6/Qt/lib or the platform's equivalent). You may replace them
  with your own build of the same major version: the application loads whichever copy is
  in that folder.
- The source code of Qt is at https://download.qt.io/official_releases/qt/ and of Qt for
  Python at https://code.qt.io/cgit/pyside/pyside-setup.git/. We will also provide the
  source of the versions we ship on request, for at least three years.
- The full texts of the LGPL-3.0 and of the GPL-3.0 it builds on are in LGPL-3.0.txt and
  GPL-3.0.txt beside this file.
"""

MANUAL = [
    {
        "name": "Qt",
        "licence": "LGPL-3.0-only",
        "note": "Qt libraries inside PySide6, shipped unmodified as shared libraries",
        "files": ["Qt-LGPL-notice.txt", "LGPL-3.0.txt", "GPL-3.0.txt"],
    },
    {
        "name": "SQLCipher",
        "licence": "BSD-3-Clause",
        "note": "the encrypted SQLite inside sqlcipher3",
        "files": ["SQLCipher-LICENSE.txt"],
    },
    {
        "name": "SQLite",
        "licence": "public domain",
        "note": "inside SQLCipher",
        "files": ["SQLite-public-domain.txt"],
    },
    {
        "name": "HarfBuzz",
        "licence": "MIT (Old MIT)",
        "note": "the text shaping library compiled into uharfbuzz",
        "files": ["HarfBuzz-COPYING.txt"],
    },
    {
        "name": "OpenSSL",
        "licence": "Apache-2.0",
        "note": "cryptography library inside cryptography and SQLCipher",
        "files": ["Apache-2.0.txt"],
    },
    {
        "name": "Python",
        "licence": "PSF-2.0",
        "note": "the Python interpreter and standard library in the frozen app",
        "files": ["Python-LICENSE.txt"],
    },
]


# where a package's metadata and the licence file it ships disagree, the file's word (the
# stricter reading) is what the About box shows
_FROM_LICENCE_FILE = {"spylls": "MPL-2.0 (its licence file; its package metadata says MIT)"}


def _licence_of(dist: metadata.Distribution) -> str:
    meta = dist.metadata
    if meta["Name"] in _FROM_LICENCE_FILE:
        return _FROM_LICENCE_FILE[meta["Name"]]
    expression = meta.get("License-Expression")
    if expression:
        return str(expression)
    short = str(meta.get("License") or "").strip()
    if short and short != "UNKNOWN" and len(short) < 80 and "\n" not in short:
        return short
    classifiers = [c for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    return classifiers[0].split("::")[-1].strip() if classifiers else "see licence file"


def main() -> int:
    if OUT.exists():
        shutil.rmtree(OUT)
    OUT.mkdir(parents=True)
    components = []
    for name in bundled():
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            print(f"not installed, left out: {name}", file=sys.stderr)
            continue
        files = []
        for f in dist.files or []:
            base = f.name.upper()
            if ".dist-info" in str(f) and base.startswith(("LICEN", "COPYING", "NOTICE")):
                target = f"{dist.metadata['Name']}-{f.name}"
                shutil.copyfile(Path(str(f.locate())), OUT / target)
                files.append(target)
        entry = {
            "name": dist.metadata["Name"],
            "version": dist.version,
            "licence": _licence_of(dist),
            "files": sorted(files),
        }
        if name.startswith(("pyside6", "shiboken6")):
            entry["files"] = ["Qt-LGPL-notice.txt", "LGPL-3.0.txt", "GPL-3.0.txt"]
            entry["licence"] = "LGPL-3.0-only"
        components.append(entry)
    (OUT / "SQLCipher-LICENSE.txt").write_text(SQLCIPHER_LICENCE, encoding="utf-8")
    (OUT / "SQLite-public-domain.txt").write_text(SQLITE_NOTICE, encoding="utf-8")
    (OUT / "Qt-LGPL-notice.txt").write_text(QT_NOTICE, encoding="utf-8")
    (OUT / "HarfBuzz-COPYING.txt").write_text(HARFBUZZ_LICENCE, encoding="utf-8")
    shutil.copyfile(COMMON / "LGPL-3", OUT / "LGPL-3.0.txt")
    shutil.copyfile(COMMON / "GPL-3", OUT / "GPL-3.0.txt")
    shutil.copyfile(COMMON / "Apache-2.0", OUT / "Apache-2.0.txt")
    python_licence = (
        Path(sys.base_prefix)
        / "lib"
        / f"python{sys.version_info[0]}.{sys.version_info[1]}"
        / "LICENSE.txt"
    )
    shutil.copyfile(python_licence, OUT / "Python-LICENSE.txt")
    for entry in MANUAL:
        components.append({"version": "", **entry})
    # licences shipped beside other resources (fonts, lookups): listed where they are
    for found in sorted((ROOT / "resources").rglob("*")):
        name = found.name.upper()
        if (
            found.is_file()
            and OUT not in found.parents
            and ("LICENSE" in name or "LICENCE" in name)
        ):
            folder = found.parent.relative_to(ROOT / "resources").as_posix()
            stem = found.name.split("-LICEN")[0].split("_LICEN")[0].split(".")[0]
            components.append(
                {
                    "name": f"{stem} ({folder})",
                    "version": "",
                    "licence": "see licence file",
                    "note": f"shipped in resources/{folder}",
                    "files": [f"../{folder}/{found.name}"],
                }
            )
    for entry in components:
        for f in entry["files"]:
            assert (OUT / f).is_file(), f
    (OUT / "components.json").write_text(
        json.dumps(sorted(components, key=lambda c: str(c["name"]).lower()), indent=1) + "\n",
        encoding="utf-8",
    )
    print(f"{len(components)} components in {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
