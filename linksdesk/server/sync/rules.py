"""Why the server refuses a change: the codes, the words a worker reads, storable values."""

from __future__ import annotations

import math
from enum import StrEnum
from typing import Any


class Refusal(StrEnum):
    """Why a change was refused: the code goes to the refusal log, the text to the device."""

    PRIVATE = "private_row"
    NOT_SHARED = "participant_not_shared"
    CONSENT_WITHDRAWN = "team_consent_withdrawn"
    CLOCK_AHEAD = "clock_ahead"
    UNKNOWN_TABLE = "unknown_table"
    SERVER_TABLE = "server_table"
    LOCAL_FIELD = "local_field"
    EMPTY = "empty_change"
    BAD_ROUTING = "bad_routing"
    NOT_YOUR_CASE = "not_your_case"
    OTHER_TEAM = "other_team"
    ERASED = "participant_erased"
    NOT_ALLOWED = "not_allowed"
    BAD_VALUE = "unstorable_value"
    INVALID_VALUE = "invalid_value"
    MISSING_PARENT = "missing_parent"
    NOT_YOUR_DEVICE = "not_your_device"


REFUSAL_TEXT: dict[Refusal, str] = {
    Refusal.PRIVATE: "Private records never leave the device, so the server refused this one.",
    Refusal.NOT_SHARED: (
        "This person has not agreed to share their record with the team, so the server refused it."
    ),
    Refusal.CONSENT_WITHDRAWN: (
        "This person withdrew consent to share with the team, so the server refused it."
    ),
    Refusal.CLOCK_AHEAD: (
        "This device's clock is more than 5 minutes ahead of the server's. Correct the "
        "date and time on this computer, then sync again."
    ),
    Refusal.UNKNOWN_TABLE: "The server does not know this kind of record. Update the server.",
    Refusal.SERVER_TABLE: "Only the server makes this kind of record.",
    Refusal.LOCAL_FIELD: "This change carried details that stay on the device; it was refused.",
    Refusal.EMPTY: "This change did not carry anything to save.",
    Refusal.BAD_ROUTING: "This change does not say which person or record it belongs to.",
    Refusal.NOT_YOUR_CASE: (
        "This person is not on your caseload (the case may have been handed to a colleague)."
    ),
    Refusal.OTHER_TEAM: "This record belongs to another team.",
    Refusal.ERASED: "This person's record was erased; the change was not kept.",
    Refusal.NOT_ALLOWED: "Only the person's links worker or a supervisor can do this.",
    Refusal.BAD_VALUE: (
        "This change holds a value the server cannot store (a number that is not a number, "
        "or a broken character). It was not kept."
    ),
    Refusal.INVALID_VALUE: (
        "This change holds a value that does not fit its field, so the server did not keep "
        "it and no other device will receive it. Correct the record and sync again."
    ),
    Refusal.MISSING_PARENT: (
        "This change points at a record the server does not hold (it may be private or not "
        "yet sent), so it was not kept."
    ),
    Refusal.NOT_YOUR_DEVICE: (
        "This change says it was made on another device; a device may send only its own changes."
    ),
}


def storable(value: Any) -> bool:
    """Whether a JSON value survives every database and JSON encoder on the way back out.

    Not-a-number and infinite floats, NUL characters and lone surrogates are refused:
    PostgreSQL rejects them, and JSON answers could not carry them to devices.
    """
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, list):
        return all(storable(v) for v in value)
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    return True
