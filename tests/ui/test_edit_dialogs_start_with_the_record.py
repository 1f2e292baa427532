"""Edit details… and Edit resource… open with every detail the record holds (and a new one
empty), read from the record itself, so Save changes nothing the worker did not touch."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from linksdesk.casework import participants, resources
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ResourceCapacity
from linksdesk.ui.dialogs.participant import ParticipantDialog
from linksdesk.ui.dialogs.resource import ResourceDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def cb(vault: Any) -> Iterator[Casebook]:
    book = Casebook(vault)
    yield book
    book.lock()


def test_edit_details_opens_with_every_detail_and_saves_them_unchanged(
    qtbot: Any, cb: Casebook
) -> None:
    details: dict[str, Any] = {
        "given_name": "Ailsa",
        "family_name": "Dialogtest",
        "preferred_name": "Ails",
        "date_of_birth": dt.date(1970, 2, 3),
        "phone": "07700 900456",
        "email": "ailsa@example.org",
        "address": "1 Test Row\nTestville",
        "postcode": "G2 2BB",
        "gp_practice": "Test Practice",
        "contact_preferences": "Mornings, by phone",
        "risk_summary": "None known",
    }
    person = participants.create_participant(cb, **details).value
    dialog = ParticipantDialog(person)
    qtbot.addWidget(dialog)
    assert dialog.values() == details  # OK at once saves what is already there
    assert not dialog.typed()  # and Escape does not ask about words never written
    new = ParticipantDialog()
    qtbot.addWidget(new)
    assert set(new.values().values()) == {None}


def test_edit_resource_opens_with_every_detail_and_saves_them_unchanged(
    qtbot: Any, cb: Casebook
) -> None:
    details: dict[str, Any] = {
        "organisation": "Kettle Café",
        "service": "Lunch club",
        "description": "Soup and company",
        "categories": ("Food", "Isolation"),
        "area": "Govan",
        "address": "2 Test Street",
        "postcode": "G51 1AA",
        "when": "Tuesdays",
        "who_for": "Anyone",
        "cost": "£2",
        "accessibility": "Step-free",
        "how_to_refer": "Drop in",
        "phone": "0141 496 0000",
        "email": "kettle@example.org",
        "website": "https://example.org",
        "capacity": ResourceCapacity.LIMITED,
        "last_verified": dt.date(2025, 3, 1),
    }
    kept = resources.add_resource(cb, **details).value
    dialog = ResourceDialog(kept)
    qtbot.addWidget(dialog)
    assert dialog.values() == details
    new = ResourceDialog()
    qtbot.addWidget(new)
    fresh = new.values()
    assert fresh.pop("capacity") == ResourceCapacity.UNKNOWN and fresh.pop("categories") == ()
    assert set(fresh.values()) == {None}
