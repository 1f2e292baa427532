"""Which workers make up each team, as the supervisor's vault knows it from bundles and roster."""

from __future__ import annotations

from sqlalchemy import inspect

from linksdesk.core.errors import ValidationError
from linksdesk.storage.store import Store


def teams_in(store: Store) -> dict[str, frozenset[str]]:
    """Team id -> the workers whose rows came in under it: the team an imported bundle was
    made for (bundle_ledger) and the team a server-signed roster gave a signer."""
    found: dict[str, set[str]] = {}
    with store.read() as s:
        names = set(inspect(s.connection()).get_table_names())
        run = s.connection().exec_driver_sql
        queries = []
        if "bundle_ledger" in names:
            queries.append(
                "SELECT team_id, worker_id FROM bundle_ledger WHERE direction = 'import' "
                "AND team_id IS NOT NULL AND worker_id IS NOT NULL"
            )
        if "trusted_signer" in names:
            queries.append(
                "SELECT team_id, worker_id FROM trusted_signer "
                "WHERE team_id IS NOT NULL AND worker_id IS NOT NULL"
            )
        for sql in queries:
            for team, worker in run(sql):
                found.setdefault(str(team), set()).add(str(worker))
    return {t: frozenset(w) for t, w in found.items()}


def team_label(team_id: str) -> str:
    return f"Team {team_id[-6:]}"


def resolve_team(store: Store, name: str) -> tuple[str, frozenset[str]]:
    """(team id, its workers) from what a person typed: the id, its label or its end."""
    teams = teams_in(store)
    wanted = name.strip().lower()
    match = [
        t for t in teams
        if wanted in (t.lower(), team_label(t).lower()) or (wanted and t.lower().endswith(wanted))
    ]  # fmt: skip
    if len(match) != 1:
        known = ", ".join(sorted(team_label(t) for t in teams)) or "none (no bundle named a team)"
        raise ValidationError(f"No single team is called '{name}'. Teams in this vault: {known}.")
    return match[0], teams[match[0]]
