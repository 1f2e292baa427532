"""One worker, two laptops: a goal's "why it matters" rewritten on both while apart.

Real vaults, the casework use cases the app calls and a real server on 127.0.0.1. Why a
goal matters is the participant's own words as the worker wrote them down: two versions
written apart are both kept as a conflict on both laptops (never one dropped silently),
settled on one laptop, and the other laptop follows.
"""

from __future__ import annotations

from collections.abc import Callable

from laptops_kit import a_shared_person
from sync_kit import Dev, ServerProcess, assert_replica_matches, later_by_the_clock

from linksdesk.casework.goals import edit_goal, get_goal, set_goal
from linksdesk.sync.client import list_conflicts, resolve_conflict

FIRST = "to feel less alone"
OFFICE = "wants to sing again, as she did before her husband died"
VENUES = "her daughter says singing is when she laughs most"
MERGED = "wants to sing again; her daughter says it is when she laughs most"


def _sync(*laptops: Dev) -> None:
    for dev in laptops:
        report = dev.sync()
        assert report.verified and not report.attention, report.message
        assert dev.outbox() == 0


def test_why_a_goal_matters_written_on_both_laptops_is_kept_and_settled_once(
    shared_server: ServerProcess, devices: Callable[[str], Dev]
) -> None:
    shared = a_shared_person(shared_server, devices, "Ruth")
    office, venues, a, b, pid = shared.office, shared.venues, shared.a, shared.b, shared.pid
    goal = set_goal(a, pid, "Join a choir", why_it_matters=FIRST).value
    _sync(office, venues)

    edit_goal(a, goal.id, why_it_matters=OFFICE)
    later_by_the_clock(a, b)
    edit_goal(b, goal.id, why_it_matters=VENUES, progress=3)
    _sync(office, venues, office)

    # both versions kept, on both laptops, each seeing its own as "mine"
    for cb, mine, theirs in ((a, OFFICE, VENUES), (b, VENUES, OFFICE)):
        [conflict] = list_conflicts(cb.store)
        assert (conflict.table, conflict.field) == ("goal", "why_it_matters")
        assert (conflict.mine, conflict.theirs) == (mine, theirs)
    assert get_goal(a, goal.id).why_it_matters == get_goal(b, goal.id).why_it_matters
    assert get_goal(a, goal.id).progress == get_goal(b, goal.id).progress == 3

    # settled once, on the venues laptop, with both in one text; the office laptop follows
    [conflict] = list_conflicts(b.store)
    resolve_conflict(b.store, conflict.id, "merged", MERGED)
    _sync(venues, office)
    for cb in (a, b):
        assert list_conflicts(cb.store) == []
        assert get_goal(cb, goal.id).why_it_matters == MERGED
    for dev in (office, venues):
        assert_replica_matches(dev, shared_server)
