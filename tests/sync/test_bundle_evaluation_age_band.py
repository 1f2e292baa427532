"""A date of birth centuries ago (year 0199 typed for 1999, or one a device made up and the
server took: any real date passes its checks) gave an age band of four digits, which a
supervisor's vault refuses as no band LinksDesk makes: once five people shared it (k
anonymity kept them), every evaluation bundle holding them, the laptop's and the team's
alike, was refused whole. Such an age is unknown now, as a missing one is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from bundle_kit import Laptop, Supervisor, evaluation_records_of, fingerprint_of

from linksdesk.sync.bundle import evaluation, export, receive


@pytest.mark.parametrize("born", [dt.date(199, 5, 12), dt.date(1, 1, 1)], ids=["0199", "0001"])
def test_an_evaluation_bundle_with_impossible_ages_is_imported_with_them_unknown(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, born: dt.date
) -> None:
    for _ in range(evaluation.K):
        laptop.contact(laptop.person(concern="housing"))
        laptop.contact(laptop.person(born=born, concern="housing"))
    out = tmp_path / "evaluation.age"
    export.export_to_file(laptop.store, out, kind="evaluation", recipients=[supervisor.recipient])
    report = receive.import_bundle(supervisor.store, out, trust=fingerprint_of(laptop))
    assert report.applied > 0
    bands = [
        rec["fields"].get("age_band")
        for rec in evaluation_records_of(laptop)
        if rec["table"] == "participant" and rec["op"] == "upsert"
    ]
    assert bands.count(evaluation.UNKNOWN) == evaluation.K  # (before: "1825-1829" and such)


def test_the_oldest_age_still_has_its_band() -> None:
    born = f"{2026 - evaluation.OLDEST}-06-01"
    assert evaluation.age_band(born, "2026-06-01", 5) == f"{evaluation.OLDEST}-134"
    assert evaluation.age_band(born, "2027-06-01", 5) == evaluation.UNKNOWN
