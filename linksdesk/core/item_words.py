"""Each kind of item in plain words (singular, plural), keyed by its table, and counts of them."""

from __future__ import annotations

ITEM_WORDS: dict[str, tuple[str, str]] = {
    "participant": ("participant", "participants"),
    "status_change": ("status change", "status changes"),
    "consent": ("consent record", "consent records"),
    "referral": ("referral in", "referrals in"),
    "concern": ("concern", "concerns"),
    "contact": ("contact", "contacts"),
    "note": ("case note", "case notes"),
    "note_revision": ("version of a case note", "versions of case notes"),
    "goal": ("goal", "goals"),
    "goal_step": ("goal step", "goal steps"),
    "measure": ("wellbeing score", "wellbeing scores"),
    "resource": ("resource", "resources"),
    "onward_referral": ("onward referral", "onward referrals"),
    "relationship": ("person or service in the network", "people or services in the network"),
    "record": ("record", "records"),
    "conflict": ("conflict", "conflicts"),
    "change": ("change", "changes"),
    "case": ("case", "cases"),
    "closed case": ("closed case", "closed cases"),
    "private record": ("private record", "private records"),
    "private case note": ("private case note", "private case notes"),
    "erased participant": ("erased participant's record", "erased participants' records"),
    "unshared participant": (
        "participant who has not agreed to share with the team",
        "participants who have not agreed to share with the team",
    ),
    "signer": ("signer", "signers"),
    "worker": ("worker", "workers"),
    "new signer": ("new signer", "new signers"),
    "enrolment code": ("unused enrolment code", "unused enrolment codes"),
    "column": ("column", "columns"),
    "audit event": ("audit event", "audit events"),
    "damaged page": ("damaged page", "damaged pages"),
    "row": ("row", "rows"),
    "week": ("week", "weeks"),
    "evaluation record": ("evaluation record", "evaluation records"),
}


def counted(kind: str, n: int) -> str:
    """``n`` items of a kind in words: "1 case note", "2 contacts"."""
    singular, plural = ITEM_WORDS.get(kind, (kind, kind))
    return f"{n} {singular if n == 1 else plural}"


def named(kind: str, n: int = 1) -> str:
    """Items of a kind in words, without the number: "case note", or "case notes" for n != 1."""
    singular, plural = ITEM_WORDS.get(kind, (kind, kind))
    return singular if n == 1 else plural
