"""Tickets filed under fire, and a Jepsen-style account of what became of them.

Every acknowledged (HTTP 201) hazard must reach `dispatched` and produce three notifications:
the reporter's "received" and "dispatched" e-mails and the department's webhook. Outcomes:
- lost: acknowledged, but some expected outcome never arrived;
- unexpected: a notification for a ticket nobody filed;
- recovered: a filing whose answer was lost (indeterminate) that the system did carry through;
- duplicated: the same delivery (same idempotency key) received more than once — after a
  crash between a send and its record (at least once): only the sends in flight at the
  crash, reported per notify kill; a repeated mail keeps its Message-ID, so a mail client
  collapses it;
- effect duplicates: one logical notification (ticket, template, channel) arriving under two
  different keys — what an idempotent receiver could not absorb; must be zero.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

from shared.messaging.partitions import dead_letter_stream, streams_of
from tests.auth import OFFICER
from tests.e2e.harness import SERVICES, Sinks, System
from tests.polling import eventually


def spot(n: int) -> tuple[float, float]:
    """The n-th point of a ~440 m grid over the district: no two tickets are duplicates."""
    return 30.96 + (n % 80) * 0.004, 120.86 + (n // 80 % 110) * 0.004


@dataclass
class Workload:
    intake_url: str
    rate: float
    # Further intake replicas: the n-th filing goes to [intake_url, *more_intake_urls][n % k].
    more_intake_urls: tuple[str, ...] = ()
    acked: dict[str, str] = field(default_factory=dict)  # email -> case_id
    indeterminate: set[str] = field(default_factory=set)
    refused: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def run(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        urls = [self.intake_url, *self.more_intake_urls]
        with httpx.Client(timeout=5, headers=OFFICER) as client:
            while time.monotonic() < deadline and not self._stop.is_set():
                n = next(self._numbers)
                email = f"chaos-{n}-{uuid.uuid4().hex[:10]}@example.com"
                lat, lng = spot(n)
                body = {
                    "category": "road_damage",
                    "latitude": lat,
                    "longitude": lng,
                    "description": f"路面破损 #{n}",
                    "reporter": {"name": "骑手", "email": email},
                }
                try:
                    response = client.post(f"{urls[n % len(urls)]}/api/v1/hazards", json=body)
                    if response.status_code == 201:
                        self.acked[email] = response.json()["case_id"]
                    else:
                        self.refused += 1
                except httpx.ConnectError:
                    self.refused += 1  # nothing was sent: definitely not filed
                except httpx.HTTPError:
                    self.indeterminate.add(email)
                time.sleep(1 / self.rate)

    def start(self, seconds: float) -> threading.Thread:
        thread = threading.Thread(target=self.run, args=(seconds,), daemon=True)
        thread.start()
        return thread


@dataclass
class Verdict:
    scenario: str
    acked: int
    refused: int
    indeterminate: int
    lost: list[str]
    unexpected: list[str]
    recovered: int
    duplicated: int
    effect_duplicates: int
    dead_letters: int
    pending: int
    faults: dict[str, int]
    seconds: float
    examples: list[str] = field(default_factory=list)
    # A mail received again under its key but with another Message-ID: a copy no mail
    # client can collapse. Must be zero (the Message-ID follows the key).
    mail_repeats_under_new_message_id: int = 0
    # What `pending` counts, named: each group's pending entries and lag, per stream.
    stuck: list[str] = field(default_factory=list)

    @property
    def repeats_per_notify_kill(self) -> float | None:
        kills = self.faults.get("notify_sigkill", 0)
        return round(self.duplicated / kills, 2) if kills else None

    @property
    def valid(self) -> bool:
        return not self.lost and not self.unexpected

    def line(self) -> str:
        return (
            f"{self.scenario}: acked={self.acked} lost={len(self.lost)} "
            f"unexpected={len(self.unexpected)} recovered={self.recovered} "
            f"duplicated={self.duplicated} effect_duplicates={self.effect_duplicates} "
            f"dead_letters={self.dead_letters} pending={self.pending} faults={self.faults}"
            + (
                f" repeats_per_notify_kill={self.repeats_per_notify_kill}"
                f" mail_repeats_under_new_message_id={self.mail_repeats_under_new_message_id}"
                if self.repeats_per_notify_kill is not None
                else ""
            )
            + (f" stuck={self.stuck}" if self.stuck else "")
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        record = {**asdict(self), "repeats_per_notify_kill": self.repeats_per_notify_kill}
        (folder / f"{self.scenario}.json").write_text(json.dumps(record, indent=1))


def _complete(email: str, case_id: str, sinks: Sinks) -> bool:
    subjects = [m.subject for m in sinks.mails_to(email)]
    return (
        any("已受理" in s for s in subjects)
        and any("已派单" in s for s in subjects)
        and any(h.body.get("case_id") == case_id for h in sinks.hooks)
    )


def partitions_of_system(system: System) -> int:
    """N of the system under test (`STREAM_PARTITIONS` in its processes' environment)."""
    return int(system.env.get("STREAM_PARTITIONS") or 1)


def _groups(client: redis.Redis, partitions: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """(stream, XINFO GROUPS entry) for every group on every partition of every stream."""
    for name in SERVICES:
        for stream in streams_of(name, partitions):
            if client.exists(stream):
                for group in client.xinfo_groups(stream):
                    yield stream, group


def stream_totals(redis_url: str, partitions: int = 1) -> tuple[int, int]:
    """(pending entries over all groups, dead letters) over every partition of every stream."""
    client = redis.Redis.from_url(redis_url)
    pending = sum(g["pending"] + (g.get("lag") or 0) for _s, g in _groups(client, partitions))
    dead = 0
    for name in SERVICES:
        for stream in streams_of(name, partitions):
            if client.exists(dead_letter_stream(stream)):
                dead += client.xlen(dead_letter_stream(stream))
    return pending, dead


def stuck_entries(redis_url: str, partitions: int = 1) -> list[str]:
    """Each group with pending entries or lag: its counters, consumers and pending entries."""
    client = redis.Redis.from_url(redis_url)  # bodies are binary: names decoded one by one

    def text(value: Any) -> Any:
        return value.decode(errors="replace") if isinstance(value, bytes) else value

    found: list[str] = []
    for stream, group in _groups(client, partitions):
        if not group["pending"] and not group.get("lag"):
            continue
        consumers = [
            f"{text(c['name'])}(pending={c['pending']} idle={c['idle']})"
            for c in client.xinfo_consumers(stream, group["name"])
        ]
        entries = [
            f"{text(e['message_id'])}@{text(e['consumer'])}"
            f" idle={text(e['time_since_delivered'])} deliveries={text(e['times_delivered'])}"
            for e in client.xpending_range(stream, group["name"], "-", "+", 5)
        ]
        last = text(client.xinfo_stream(stream)["last-generated-id"])
        found.append(
            f"{stream}>{text(group['name'])}: pending={group['pending']} lag={group.get('lag')}"
            f" last_delivered={text(group['last-delivered-id'])}"
            f" entries_read={group.get('entries-read')} last_entry={last}"
            f" consumers={consumers} entries={entries}"
        )
    return found


def judge(
    scenario: str,
    load: Workload,
    system: System,
    sinks: Sinks,
    faults: dict[str, int],
    started: float,
    settle: float = 120.0,
    quiet_after: float | None = None,
    restart: Callable[[str], None] | None = None,
) -> Verdict:
    """Wait (bounded) for every acknowledged ticket to complete, then classify.

    The bound grows with the volume (half a second per acknowledged ticket on top of
    `settle`), so a slow but converging system is not mistaken for one that lost work.
    `quiet_after` (for a run expected to lose work) stops the wait early once the streams are
    drained and no further ticket has completed for that many seconds: nothing is left in
    flight that could still complete one. `restart` starts a process of `system.procs` again
    (default `system.start`; a replica topology passes its own).
    """
    settle += 0.5 * len(load.acked)
    restarts = 0
    partitions = partitions_of_system(system)
    restart = restart or system.start
    progress = {"completed": -1, "since": time.monotonic()}

    def quiet(completed: int, drained: bool) -> bool:
        now = time.monotonic()
        if completed != progress["completed"] or not drained:
            progress.update(completed=completed, since=now)
            return False
        return quiet_after is not None and now - progress["since"] >= quiet_after

    def done() -> bool:
        nonlocal restarts
        # The supervisor's part (`waystation run`, compose's restart policy): a service that
        # exited (its watchdog stops a process whose reader stalled) is started again.
        for name, proc in system.procs.items():
            if proc.poll() is not None:
                restart(name)
                restarts += 1
        completed = sum(1 for e, c in load.acked.items() if _complete(e, c, sinks))
        drained = stream_totals(system.redis_url, partitions)[0] == 0
        return (completed == len(load.acked) and drained) or quiet(completed, drained)

    with contextlib.suppress(AssertionError):  # classify what is missing below
        eventually(done, timeout=settle, interval=0.5)
    lost = [c for e, c in load.acked.items() if not _complete(e, c, sinks)]
    attempted = set(load.acked) | load.indeterminate
    with sinks.lock:
        mails, hooks = list(sinks.mails), list(sinks.hooks)
    unexpected = sorted(
        {to for m in mails for to in m.to if to.startswith("chaos-") and to not in attempted}
    )
    recovered = sum(1 for e in load.indeterminate if sinks.mails_to(e))
    keys = Counter([m.key for m in mails] + [h.key for h in hooks])
    duplicated = sum(n - 1 for n in keys.values() if n > 1)
    message_ids: dict[str | None, set[str | None]] = {}
    for m in mails:
        message_ids.setdefault(m.key, set()).add(m.message_id)
    new_message_ids = sum(len(ids) - 1 for ids in message_ids.values())
    logical = Counter(
        [(tuple(m.to), m.subject) for m in {m.key: m for m in mails}.values()]
        + [
            (h.path, h.body.get("case_id"), h.body.get("title"))
            for h in {h.key: h for h in hooks}.values()
        ]
    )
    effect_duplicates = sum(n - 1 for n in logical.values() if n > 1)
    examples = [repr(k) for k, n in logical.items() if n > 1][:5]
    # `done` saw the groups drained, but the system still runs: a batch read since then (a
    # delivery's own event, a timer) is pending for a moment. Drained means it drains again,
    # and the verdict keeps the sample that showed it. A second read may catch the next
    # moment's event: a send whose lease ran out goes again ~60 s after a notify kill, about
    # when the judge ends, and its event is pending for a few milliseconds (one seen 7 ms
    # idle on intake's group); a CI run's pending=1 was most likely read that way.
    drained = False
    with contextlib.suppress(AssertionError):
        drained = eventually(
            lambda: stream_totals(system.redis_url, partitions)[0] == 0, timeout=30, interval=0.5
        )
    pending, dead = stream_totals(system.redis_url, partitions)  # dead letters: the latest
    if drained:
        pending = 0
    stuck = stuck_entries(system.redis_url, partitions) if pending else []
    if restarts:
        faults = {**faults, "supervisor_restarts": restarts}
    return Verdict(
        scenario,
        len(load.acked),
        load.refused,
        len(load.indeterminate),
        lost,
        unexpected,
        recovered,
        duplicated,
        effect_duplicates,
        dead,
        pending,
        faults,
        round(time.monotonic() - started, 1),
        examples,
        new_message_ids,
        stuck,
    )


def as_dict(verdict: Verdict) -> dict[str, Any]:
    return asdict(verdict)
