"""What came of the work with a demo participant: goals with their steps, and wellbeing scores.

Scores are made through the same row factory the measure use case writes with, so they are
scored as real ones are; answers spread the way real answers spread.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from linksdesk.casework import measures
from linksdesk.core.ids import uuid7
from linksdesk.core.vocab import GoalStatus, MeasureContext, MeasureKind, ParticipantStatus
from linksdesk.demo.dice import Dice, weighted
from linksdesk.demo.timeline import Session
from linksdesk.storage.tables import Goal, GoalStep, Measure, SyncColumns

REVIEW_WEEKS = 6


class Progress(Dice):
    """Goals set early in the person's own words, and measures at baseline, review and close."""

    def _goal(
        self,
        pid: str,
        title: str,
        why: str,
        steps: Sequence[str],
        set_on: dt.date,
        seen: list[Session],
        status: ParticipantStatus,
        outcome_good: bool,
        closed_on: dt.date | None,
    ) -> list[SyncColumns]:
        rng = self.rng
        last_seen = seen[-1].at.date()
        if status is ParticipantStatus.CLOSED:
            goal_status = (
                weighted(rng, {GoalStatus.ACHIEVED: 65, GoalStatus.PARTLY_ACHIEVED: 35})
                if outcome_good
                else weighted(rng, {GoalStatus.STOPPED: 60, GoalStatus.PARTLY_ACHIEVED: 40})
            )
        elif status is ParticipantStatus.PAUSED:
            goal_status = GoalStatus.ON_HOLD
        else:
            goal_status = weighted(
                rng, {GoalStatus.ACTIVE: 75, GoalStatus.ACHIEVED: 15, GoalStatus.ON_HOLD: 10}
            )
        progress = {
            GoalStatus.ACHIEVED: rng.randint(8, 10),
            GoalStatus.PARTLY_ACHIEVED: rng.randint(4, 7),
            GoalStatus.STOPPED: rng.randint(0, 3),
            GoalStatus.ON_HOLD: rng.randint(1, 5),
            GoalStatus.ACTIVE: rng.randint(1, 7),
        }[goal_status]
        ended = goal_status in (GoalStatus.ACHIEVED, GoalStatus.PARTLY_ACHIEVED, GoalStatus.STOPPED)
        goal_closed = (closed_on or last_seen) if ended else None
        if goal_closed is not None and goal_closed < set_on:
            goal_closed = set_on
        review_on = None
        if goal_status in (GoalStatus.ACTIVE, GoalStatus.ON_HOLD):
            # reviewed every six weeks from when it was set; some reviews are due or overdue
            review_on = set_on + dt.timedelta(weeks=REVIEW_WEEKS)
            while review_on < last_seen:
                review_on += dt.timedelta(weeks=REVIEW_WEEKS)
        goal = Goal(
            id=uuid7(),
            participant_id=pid,
            title=title,
            why_it_matters=why if self.chance(0.85) else None,
            status=goal_status.value,
            set_on=set_on,
            review_on=review_on,
            progress=progress,
            closed_on=goal_closed,
        )
        out: list[SyncColumns] = [goal]
        done_count = {
            GoalStatus.ACHIEVED: len(steps),
            GoalStatus.PARTLY_ACHIEVED: max(1, len(steps) - 1),
        }.get(goal_status, rng.randint(0, max(0, len(steps) - 1)))
        span = max(1, (last_seen - set_on).days)
        elapsed = 0
        for pos, text in enumerate(steps, start=1):
            done_on = None
            if pos <= done_count:
                # ticked off in order, never after the last time the person was seen
                elapsed = min(span, elapsed + rng.randint(3, 21))
                done_on = set_on + dt.timedelta(days=elapsed)
            out.append(
                GoalStep(
                    id=uuid7(),
                    goal_id=goal.id,
                    participant_id=pid,
                    position=pos,
                    description=text,
                    due_on=set_on + dt.timedelta(days=14 * pos),
                    done_on=done_on,
                )
            )
        return out

    def _items(self, kind: MeasureKind, target: int) -> list[int]:
        """Item answers summing to ``target``, spread the way real answers spread."""
        if kind is MeasureKind.ONS4:
            return [self.rng.randint(2, 8) for _ in range(3)] + [self.rng.randint(3, 9)]
        n = 14 if kind is MeasureKind.WEMWBS else 7
        target = max(n, min(5 * n, target))
        items = [max(1, min(5, round(target / n + self.rng.uniform(-1, 1)))) for _ in range(n)]
        while sum(items) != target:
            i = self.rng.randrange(n)
            if sum(items) < target and items[i] < 5:
                items[i] += 1
            elif sum(items) > target and items[i] > 1:
                items[i] -= 1
        return items

    def _measure(
        self,
        pid: str,
        kind: MeasureKind,
        items: list[int],
        on: dt.date,
        context: MeasureContext,
        assisted: bool,
    ) -> Measure:
        return measures.measure_row(
            pid, kind, items, context=context, taken_on=on, assisted=assisted
        )

    def _measures(
        self, pid: str, seen: list[Session], status: ParticipantStatus, outcome_good: bool
    ) -> list[SyncColumns]:
        rng = self.rng
        if not seen or not self.chance(0.85):
            return []
        kind = MeasureKind.SWEMWBS if self.chance(0.6) else MeasureKind.WEMWBS
        assisted = self.chance(0.25)
        wemwbs = kind is MeasureKind.WEMWBS
        # people referred to a links worker start well below the population mean (≈ 50 / 23.5)
        base = round(rng.gauss(38, 8)) if wemwbs else round(rng.gauss(18.5, 4))
        start = seen[0].at.date()
        out: list[SyncColumns] = [
            self._measure(
                pid, kind, self._items(kind, base), start, MeasureContext.BASELINE, assisted
            )
        ]
        if self.chance(0.12):
            out.append(
                self._measure(
                    pid,
                    MeasureKind.ONS4,
                    self._items(MeasureKind.ONS4, 0),
                    start,
                    MeasureContext.BASELINE,
                    assisted,
                )
            )
        review = next((s for s in seen if (s.at.date() - start).days >= 70), None)
        if review is not None and self.chance(0.8):
            gain = rng.gauss(4.5, 7) if wemwbs else rng.gauss(2.2, 3.4)
            out.append(
                self._measure(
                    pid,
                    kind,
                    self._items(kind, round(base + gain)),
                    review.at.date(),
                    MeasureContext.REVIEW,
                    assisted,
                )
            )
        if status is ParticipantStatus.CLOSED and outcome_good and self.chance(0.7):
            gain = rng.gauss(6.5, 7) if wemwbs else rng.gauss(3.2, 3.5)
            end = seen[-1].at.date()
            if end > start:
                out.append(
                    self._measure(
                        pid,
                        kind,
                        self._items(kind, round(base + gain)),
                        end,
                        MeasureContext.CLOSING,
                        assisted,
                    )
                )
        return out
