"""A supervisor's vault holding one small caseload, carried from a real laptop in a real
supervision bundle: for the tests of what a small programme's reports show. Synthetic data."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from team_kit import PASSPHRASE

from linksdesk.casework import bundles, consent, contacts, participants
from linksdesk.casework.casebook import Casebook
from linksdesk.core.vocab import ConsentScope, ContactKind


def sharing_person(
    laptop: Casebook, n: int, referred: dt.date = dt.date(2026, 3, 1), agreed: dt.date | None = None
) -> str:
    """A participant who consents to sharing with the team (``agreed``, today if not given;
    a withdrawal is dated after it); their id."""
    p = participants.create_participant(
        laptop, given_name="Test", family_name=f"Person{n}", referred_on=referred
    ).value
    consent.record_consent(laptop, p.id, ConsentScope.TEAM, True, recorded_on=agreed)
    return p.id


def unshared_people(laptop: Casebook, count: int) -> None:
    """``count`` participants who never agreed to share with the team (referred on 2 March
    2026), each seen once on 9 March 2026."""
    for n in range(count):
        p = participants.create_participant(
            laptop, given_name="Test", family_name=f"Quiet{n}", referred_on=dt.date(2026, 3, 2)
        ).value
        contacts.record_contact(
            laptop, p.id, kind=ContactKind.APPOINTMENT, at=dt.datetime(2026, 3, 9, 10)
        )


@contextmanager
def laptop_and_supervisor(root: Path) -> Iterator[tuple[Casebook, Casebook, Callable[[], None]]]:
    """A worker's laptop, a supervisor's vault, and ``carry()``: the laptop's supervision
    bundle as it is now, imported into the supervisor's vault (both unlocked while the block
    runs)."""
    with laptop_and_supervisors(root, 1) as (laptop, (sup,), carry):
        yield laptop, sup, carry


@contextmanager
def laptop_and_supervisors(
    root: Path, count: int
) -> Iterator[tuple[Casebook, tuple[Casebook, ...], Callable[[], None]]]:
    """A worker's laptop, ``count`` supervisors' vaults (two supervisors, or one on two
    computers), and ``carry()``: the laptop's supervision bundle as it is now, imported into
    each of them (all unlocked while the block runs)."""
    laptop, _ = bundles.create_vault(root / "laptop.vault", PASSPHRASE)
    sups = tuple(
        bundles.create_vault(root / ("sup.vault" if n == 0 else f"sup-{n}.vault"), PASSPHRASE,
                             supervisor=True)[0]
        for n in range(count)
    )  # fmt: skip
    made = itertools.count(1)
    try:
        recipients = [bundles.new_bundle_key(sup) for sup in sups]

        def carry() -> None:
            out = root / f"caseload-{next(made)}.age"
            bundles.export_bundle(laptop, out, kind="supervision", recipients=recipients)
            for sup in sups:
                bundles.import_file(sup, out, trust=bundles.show_keys(laptop).signing.fingerprint)

        yield laptop, sups, carry
    finally:
        laptop.lock()  # locking twice is nothing
        for sup in sups:
            sup.lock()


@contextmanager
def supervisor_with(root: Path, fill: Callable[[Casebook], None]) -> Iterator[Casebook]:
    """A laptop filled by ``fill``, its bundle imported into a supervisor's vault (unlocked
    while the block runs)."""
    with laptop_and_supervisor(root) as (laptop, sup, carry):
        fill(laptop)
        carry()
        laptop.lock()
        yield sup
