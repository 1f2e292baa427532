"""The vocabulary's labels: each enum member keeps its own, even where two enums share a value."""

from __future__ import annotations

import inspect

from linksdesk.core import vocab


def _labelled_enums() -> list[type[vocab.Labelled]]:
    return [
        obj
        for obj in vars(vocab).values()
        if inspect.isclass(obj) and issubclass(obj, vocab.Labelled) and obj is not vocab.Labelled
    ]


def test_equal_values_of_two_enums_keep_their_own_labels() -> None:
    # "gp" is both a consent scope and a referral source: the consent must not read "GP"
    assert vocab.ConsentScope.GP.label == "Share with the GP practice"
    assert vocab.ReferralSource.GP.label == "GP"


def test_every_label_belongs_to_its_own_member() -> None:
    # a label given to one member is never shown for a member of another enum with an
    # equal value (the bug above, for any pair added later)
    members = [m for enum in _labelled_enums() for m in enum]
    for member in members:
        explicit = vocab._LABELS.get((type(member), member.value))
        default = member.value.replace("_", " ").capitalize()
        assert member.label == (explicit if explicit is not None else default)
    shared = {m.value for m in members if sum(1 for o in members if o.value == m.value) > 1}
    assert "gp" in shared  # the test looks at real collisions, not none
