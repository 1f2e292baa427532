"""Outside check 17: a crafted push of monthly totals counting fewer than 0 people.

The server checks a push with the shapes a supervisor's vault checks a bundle with
(`core/validate.py`, registry.toml `[shapes.monthly_total.counts]`): a count is a whole
number of 0 or more, so -40 people is refused with the row, and a count of 0 or more taken.
Real server over HTTP (see tests/sync/test_outside17_negative_totals.py for the bundle)."""

from __future__ import annotations

from server_kit import Programme


def test_a_push_of_negative_monthly_totals_is_refused(served: Programme) -> None:
    dev = served.enrol(served.worker(served.team()))
    bad = dev.totals("2026-11", {"participants": -40, "contacts": 3})
    assert dev.push_one(bad)["status"] == "rejected"
    by_source = dev.totals("2026-11", {"referrals_by_source": {"gp": -2}})
    assert dev.push_one(by_source)["status"] == "rejected"
    good = dev.totals("2026-11", {"participants": 4, "contacts": 3, "referrals_by_source": {}})
    assert dev.push_one(good)["status"] == "applied"
