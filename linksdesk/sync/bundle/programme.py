"""Which programme a supervisor's vault belongs to, and refusing another programme's bundles.

A programme is named by the id of its pseudonym key (``evaluation.key_id``): the server makes
the key once, at ``init``, and hands it to every laptop it enrols, so the server and its
laptops name the same programme, through restores and new data epochs alike; another
programme's server has another key. Every bundle and roster of this version names it (a
server's always, a laptop's once it has synced; an evaluation bundle's pseudonyms say it
too), signed with the rest. The first import that names one binds the vault to it; from then
on a bundle or roster naming another is refused whole, however its signer was accepted.

A laptop's bundle naming none (an older LinksDesk, or a laptop never synced) is placed by its
key: taken when the vault knows the laptop is of its programme (a roster of the programme
lists it, or the laptop's own earlier bundle here named the programme), or while the vault
belongs to no programme yet. A key a person accepted by its fingerprint says whose laptop it
is, not which programme: taken on that alone, a laptop of another programme that never synced
would put its worker's caseload into this programme's reports. A server's naming none (an
older server) is taken from a server the vault already trusts, and refused from one being
accepted now by its fingerprint: that is how another programme's server would come in.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from linksdesk.sync import state
from linksdesk.sync.bundle.format import BundleRefused

# local_setting: the programme key id this vault belongs to (named so since evaluation
# bundles first bound it)
PROGRAMME = "evaluation_key_id"
# local_setting: laptop key fingerprint → the programme its own bundles named in this vault
LAPTOPS = "laptop_programmes"


def named(doc: dict[str, Any]) -> str | None:
    """The programme a manifest or roster names (``programme``, or an evaluation manifest's
    pseudonym key id); refused if the two disagree."""
    given = doc.get("programme")
    described = doc.get("pseudonyms")
    pseudonyms = described.get("key_id") if isinstance(described, dict) else None
    if given is not None and pseudonyms is not None and given != pseudonyms:
        raise BundleRefused(
            "The bundle's manifest names two programmes. Nothing was imported; ask whoever "
            "sent it for a new one."
        )
    found = given if given is not None else pseudonyms
    if found is not None and not isinstance(found, str):
        raise BundleRefused("The bundle's manifest is damaged. Nothing was imported.")
    return found


def held(s: Session) -> str | None:
    value = state.local_setting(s, PROGRAMME)
    return str(value) if value else None


@dataclass(frozen=True)
class LaptopKey:
    """The laptop key that signed a bundle: its fingerprint, and whether a roster this vault
    took (of its programme: rosters of another are refused) lists it."""

    fingerprint: str
    rostered: bool


def check(
    s: Session,
    doc: dict[str, Any],
    *,
    what: str,
    new_server: bool = False,
    laptop: LaptopKey | None = None,
) -> str | None:
    """The programme ``doc`` names, if this vault may take it (``new_server``: signed by a
    server the vault is accepting now by its fingerprint; ``laptop``: signed by a laptop);
    raises BundleRefused otherwise."""
    given, mine = named(doc), held(s)
    if mine is None:
        return given
    if given is not None and given != mine:
        raise BundleRefused(
            f"This {what} belongs to another programme than this supervisor's vault: it was "
            "made with another programme's key than the bundles this vault already holds, and "
            "a supervisor's vault takes one programme's bundles. Nothing was imported, and "
            "nothing this vault holds has changed. If you supervise that programme too, keep "
            "its bundles in a supervisor's vault of their own (`linksdesk new --supervisor`); "
            "otherwise ask whoever sent it which programme it belongs to."
        )
    if given is None and new_server:
        raise BundleRefused(
            f"This {what} comes from a server this vault does not know yet, and does not say "
            "which programme it belongs to (an older LinksDesk server made it). This vault "
            "takes only its own programme's bundles. Nothing was imported; ask your "
            "programme administrator to update the server, then ask for the bundle again."
        )
    if given is None and laptop is not None and not _placed(s, laptop, mine):
        raise BundleRefused(
            "This laptop's bundle does not say which programme it belongs to (the laptop has "
            "not synced with its programme's server since LinksDesk was updated, or never "
            "has), and this vault cannot tell from its key: no roster of this vault's "
            "programme lists the laptop. Nothing was imported. Ask the worker to sync the "
            "laptop once and make the bundle again, or import the team's newest bundle or "
            "roster from the server, which lists its laptops."
        )
    return given


def _placed(s: Session, laptop: LaptopKey, mine: str) -> bool:
    """Whether the vault knows the laptop to be of its programme ``mine``."""
    named_here = (state.local_setting(s, LAPTOPS) or {}).get(laptop.fingerprint)
    return laptop.rostered or named_here == mine


def bind(s: Session, given: str | None, laptop: LaptopKey | None = None) -> None:
    """Bind the vault to the programme its first import names (later ones only match it),
    and remember the programme a laptop's bundle named, to place its later ones."""
    if given is None:
        return
    if held(s) is None:
        state.put_local_setting(s, PROGRAMME, given)
    placed = dict(state.local_setting(s, LAPTOPS) or {})
    if laptop is not None and placed.get(laptop.fingerprint) != given:
        state.put_local_setting(s, LAPTOPS, {**placed, laptop.fingerprint: given})
