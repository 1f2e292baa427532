"""A laptop asks whose an enrolment code is before it uses it (``POST /v1/enrol/preview``):
two codes swapped at a team meeting must not enrol a laptop as a colleague unnoticed. The
answer names the worker and the team and leaves the code unused; a code enrol would refuse
(unknown, used, expired) is refused the same, and no name reaches the server's log."""

from __future__ import annotations

from pathlib import Path

from server_kit import Programme
from sqlalchemy import select

from linksdesk.server import admin
from linksdesk.server.models import EnrolCode


def test_a_preview_names_the_codes_worker_and_leaves_it_usable(
    served: Programme, tmp_path: Path
) -> None:
    team = admin.add_team(served.db, "team-preview-test")
    worker = admin.add_worker(served.db, team, "worker-preview-test", "supervisor")
    code = admin.make_enrol_code(served.db, worker).code

    for _ in range(2):  # asked again (the person said No, then typed it again): the same
        seen = served.http.post("/v1/enrol/preview", json={"code": code.lower()})
        assert seen.status_code == 200, seen.text
        assert seen.json() == {
            "worker": "worker-preview-test",
            "team": "team-preview-test",
            "role": "supervisor",
        }
    with served.db.reading() as s:
        assert [c.used_ms for c in s.scalars(select(EnrolCode))] == [None]

    assert served.http.post("/v1/enrol", json={"code": code}).status_code == 200
    used = served.http.post("/v1/enrol/preview", json={"code": code})
    unknown = served.http.post("/v1/enrol/preview", json={"code": "WRNG-CODE-0000-0000"})
    refused = served.http.post("/v1/enrol", json={"code": code})
    for answer in (used, unknown):  # as enrol refuses them: nothing said of whose it was
        assert answer.status_code == refused.status_code == 401
        assert answer.json() == refused.json()
    logged = (tmp_path / "server.log").read_text(encoding="utf-8")
    assert "preview" in logged
    assert "worker-preview-test" not in logged and "team-preview-test" not in logged


def test_ill_typed_previews_are_refused_in_words_and_use_no_code(served: Programme) -> None:
    """What a broken or hostile client might send: a number, a list, nothing, a code a
    megabyte long, a body that is not JSON. Each is refused as a request (4xx, never a 500),
    and the code the administrator made stays unused."""
    team = admin.add_team(served.db, "team-preview-hostile")
    worker = admin.add_worker(served.db, team, "worker-preview-hostile", "worker")
    admin.make_enrol_code(served.db, worker)
    bodies = [{"code": 12}, {"code": ["A"]}, {}, {"code": "A" * 1_000_000}, {"code": None}]
    answers = [served.http.post("/v1/enrol/preview", json=b) for b in bodies]
    answers.append(served.http.post("/v1/enrol/preview", content=b"code=ABCD"))
    for answer in answers:
        assert 400 <= answer.status_code < 500, answer.status_code
        assert "worker-preview-hostile" not in answer.text
    with served.db.reading() as s:
        assert [c.used_ms for c in s.scalars(select(EnrolCode))] == [None]
