"""A hostile laptop's bundle, correctly signed with its trusted key and sealed to the
supervisor, whose rows the server would have refused: ill-typed values, a date that is not a
date, a word outside the field's vocabulary, an over-long field, an empty required field, a
record of a kind nobody declares. The vault runs the server's own checks on every record and
refuses the whole bundle in plain words (no names, no note text); nothing changes. Without
them the values landed in the vault, and the supervisor's figures counted them."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from bundle_kit import PASSPHRASE, Laptop, Supervisor, canary, evaluation_records_of, hand_made
from sqlalchemy import func, select
from test_cli import assert_one_plain_line, linksdesk

from linksdesk.core.hlc import HLC
from linksdesk.reports.build import report_from_store
from linksdesk.reports.scope import Period, Scope
from linksdesk.storage.bundle_tables import BundleLedger
from linksdesk.storage.tables import Contact, Goal
from linksdesk.storage.vault import Vault
from linksdesk.sync.bundle import evaluation, export, keys, receive
from linksdesk.sync.bundle.format import BundleRefused
from linksdesk.sync.policy import SyncPolicy


def _caseload(lap: Laptop) -> list[dict[str, Any]]:
    with lap.store.read() as s:
        return export.caseload_changes(s, lap.store.worker_id).changes


def _trusted(lap: Laptop, sup: Supervisor, tmp_path: Path) -> None:
    """The laptop's honest first bundle, its key accepted by fingerprint."""
    for _ in range(5):
        lap.contact(lap.person(given_name=canary("NAME"), concern="housing"))
    lap.note(lap.person(), canary("NOTE"))
    honest = tmp_path / "honest.age"
    export.export_to_file(lap.store, honest, kind="supervision", recipients=[sup.recipient])
    fingerprint = keys.signing_key(lap.store).public.fingerprint
    assert receive.import_bundle(sup.store, honest, trust=fingerprint).applied > 0


def _first(records: list[dict[str, Any]], table: str) -> dict[str, Any]:
    return next(r for r in records if r["table"] == table and r.get("fields"))


SUPERVISION: dict[str, tuple[str, str, Any]] = {
    "text-for-a-number": ("contact", "minutes", "45"),
    "not-a-date": ("participant", "referred_on", "2026-02-30"),
    "date-and-time-not-one": ("contact", "scheduled_at", "tomorrow at ten"),
    "unknown-word": ("contact", "status", "half_attended"),
    "unknown-source": ("referral", "source", "billboard"),
    "over-long": ("participant", "given_name", "x" * 101),
    "empty-required": ("contact", "kind", None),
    "a-number-too-big": ("goal", "progress", 2**40),
    "a-field-that-stays-on-the-laptop": ("participant", "contact_preferences", "evenings"),
    "not-a-record-id": ("note", "contact_id", "../../etc"),
}


@pytest.mark.parametrize("case", [*SUPERVISION, "unknown-table", "clock-ahead"])
def test_a_laptops_supervision_bundle_with_unfit_values_is_refused_whole(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, case: str
) -> None:
    _trusted(laptop, supervisor, tmp_path)
    laptop.contact(laptop.person(given_name="Later"))
    with laptop.store.write() as tx:  # a goal, so "goal" rows exist to poison
        pid = _first(_caseload(laptop), "participant")["row_id"]
        tx.insert(Goal(participant_id=pid, title="Walk", set_on=dt.date(2026, 5, 3)))
    records = copy.deepcopy(_caseload(laptop))
    if case == "unknown-table":
        forged = {**_first(records, "contact"), "table": "payroll", "row_id": "p-1"}
        records.append(forged)
    elif case == "clock-ahead":  # a row stamped in 2099 would win every later merge here
        year_2099 = int(dt.datetime(2099, 1, 1, tzinfo=dt.UTC).timestamp() * 1000)
        _first(records, "participant")["hlc"] = HLC(year_2099, 0, laptop.store.device_id).encode()
    else:
        table, column, value = SUPERVISION[case]
        target = _first(records, table)
        target["fields"][column] = value
    before = supervisor.content_hash()
    out = hand_made(laptop, supervisor, tmp_path / "hostile.age", records)
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(supervisor.store, out)
    message = str(refused.value)
    assert "Nothing was imported" in message
    assert canary("NAME") not in message and canary("NOTE") not in message
    assert "\n" not in message
    if case == "unknown-table":
        assert "kind this LinksDesk does not know" in message
    elif case == "clock-ahead":
        assert "whose clock is more than a day ahead of this computer's" in message
    else:
        assert f"whose {SUPERVISION[case][1]} " in message, message
    assert supervisor.content_hash() == before
    # the same rows, honest, are taken: only the unfit value was in the way
    honest = hand_made(laptop, supervisor, tmp_path / "honest-2.age", _caseload(laptop))
    assert receive.import_bundle(supervisor.store, honest).applied > 0


def test_the_figures_never_count_a_refused_bundles_rows(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    """Contacts with a status outside the vocabulary would have been counted nowhere (nor
    attended, nor did not attend): a contact total that does not add up on the board."""
    _trusted(laptop, supervisor, tmp_path)
    scope = Scope(Period.parse("2026-01..2026-12"))
    figures = report_from_store(supervisor.store, scope, audience="internal").sections
    laptop.contact(laptop.person())
    records = copy.deepcopy(_caseload(laptop))
    for rec in records:
        if rec["table"] == "contact":
            rec["fields"]["status"] = "half_attended"
    out = hand_made(laptop, supervisor, tmp_path / "hostile.age", records)
    with pytest.raises(BundleRefused, match="status is not one of the values devices know"):
        receive.import_bundle(supervisor.store, out)
    assert report_from_store(supervisor.store, scope, audience="internal").sections == figures


EVALUATION: dict[str, tuple[str, str, Any]] = {
    "an-age-not-a-band": ("participant", "age_band", "43"),
    "a-decile-past-ten": ("participant", "deprivation_decile", "11"),
    # not text: a program error once (a list is no key of the set of words)
    "a-decile-as-a-list": ("participant", "deprivation_decile", ["1"]),
    "a-source-as-a-list": ("participant", "referral_source", ["gp"]),
    "an-unknown-word": ("contact", "status", "half_attended"),
    "text-for-a-number": ("contact", "minutes", "45"),
    "a-day-not-a-month": ("contact", "scheduled_at", "2026-05-03T10:00:00"),
    "a-date-of-birth-as-it-is": ("participant", "date_of_birth", "1980-06-01"),
    "a-name": ("participant", "given_name", "Robin"),
    "an-id-not-a-pseudonym": ("contact", "participant_id", "not-a-pseudonym"),
}


# the consent versions a participant's records are sent under (``evaluation.CONSENTS``)
CONSENTS: dict[str, tuple[str, Any]] = {
    "consent-versions-as-text": ("participant", {"team": "1", "evaluation": 1}),
    "a-consent-version-as-yes": ("participant", {"team": True, "evaluation": 1}),
    "consent-versions-of-another-scope": ("participant", {"team": 1, "evaluation": 1, "gp": 1}),
    "consent-versions-as-a-list": ("participant", [1, 1]),
    "consent-versions-on-a-contact": ("contact", {"team": 1, "evaluation": 1}),
}


@pytest.mark.parametrize(
    "case",
    [*EVALUATION, *CONSENTS, "unknown-table", "a-record-id-not-a-pseudonym", "changed-in-2099"],
)
def test_a_laptops_evaluation_bundle_with_unfit_values_is_refused_whole(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor, case: str
) -> None:
    laptop.give_programme_key()
    for _ in range(5):
        laptop.contact(laptop.person(concern="housing"))
    honest = tmp_path / "honest.age"
    export.export_to_file(
        laptop.store, honest, kind="evaluation", recipients=[supervisor.recipient]
    )
    fingerprint = keys.signing_key(laptop.store).public.fingerprint
    assert receive.import_bundle(supervisor.store, honest, trust=fingerprint).applied > 0
    records = copy.deepcopy(evaluation_records_of(laptop))
    if case == "unknown-table":
        records.append({**_first(records, "contact"), "table": "payroll"})
    elif case == "a-record-id-not-a-pseudonym":
        _first(records, "contact")["id"] = "00000000-0000-4000-8000-000000000001"
    elif case == "changed-in-2099":  # newer than any data to come: it would always win
        _first(records, "contact")["changed"] = "2099-12"
    elif case in CONSENTS:
        table, versions = CONSENTS[case]
        _first(records, table)[evaluation.CONSENTS] = versions
    else:
        table, column, value = EVALUATION[case]
        _first(records, table)["fields"][column] = value
    before = supervisor.content_hash()
    out = hand_made(laptop, supervisor, tmp_path / "hostile.age", records, kind="evaluation")
    with pytest.raises(BundleRefused) as refused:
        receive.import_bundle(supervisor.store, out)
    message = str(refused.value)
    assert "Nothing was imported" in message and "Robin" not in message
    assert supervisor.content_hash() == before


def test_the_command_line_refuses_it_in_one_plain_line(
    tmp_path: Path, laptop: Laptop, supervisor: Supervisor
) -> None:
    _trusted(laptop, supervisor, tmp_path)
    records = copy.deepcopy(_caseload(laptop))
    _first(records, "contact")["fields"]["status"] = "half_attended"
    out = hand_made(laptop, supervisor, tmp_path / "hostile.age", records)
    supervisor.vault.lock()
    result = linksdesk(tmp_path, "import", "--vault", str(supervisor.path), str(out),
                       passphrase=PASSPHRASE)  # fmt: skip
    assert result.returncode == 2  # something to put right, not a crash
    line = assert_one_plain_line(result)
    assert "Nothing was imported" in line and "status" in line and canary("NAME") not in line
    vault = Vault.unlock(supervisor.path, PASSPHRASE)
    try:
        with vault.store(SyncPolicy()).read() as s:  # (opening a vault audits itself)
            assert s.scalar(select(func.count()).select_from(BundleLedger)) == 1
            assert "half_attended" not in set(s.scalars(select(Contact.status)))
    finally:
        vault.lock()
