"""A crash of notify between a send and its record: only the delivery in flight goes again,
and an e-mail sent again carries the Message-ID of the first copy, so mailboxes collapse it."""

from __future__ import annotations

import signal
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from services.notify.domain.delivery import message_id
from tests.integration.notify_harness import NotifyUnderTest, dispute_filed
from tests.integration.receivers import SmtpReceiver, smtp_receiver

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def smtp() -> Iterator[SmtpReceiver]:
    with smtp_receiver() as sink:
        yield sink


@pytest.fixture
async def notify(database_url: str, redis_url: str, smtp: SmtpReceiver) -> AsyncIterator[object]:
    sut = await NotifyUnderTest(
        database_url, redis_url, smtp_url=f"mailto://127.0.0.1:{smtp.port}?from=noreply@ws.test"
    ).start()
    yield sut
    await sut.stop()


async def test_an_email_carries_a_message_id_derived_from_its_idempotency_key(
    notify: NotifyUnderTest, smtp: SmtpReceiver
):
    await notify.apply(dispute_filed(uuid.uuid4(), email="li@example.com"))
    await notify.send_due()
    [mail] = smtp.to("li@example.com")
    [row] = await notify.deliveries(channel="email")
    assert mail.key == row.idempotency_key
    assert mail.message_id == message_id(row.idempotency_key, "ws.test")
    assert mail.message_id != message_id(f"{uuid.uuid4()}:x:email", "ws.test")


def _crash_after(database_url: str, sends: int) -> None:
    """Run the delivery worker as a process that SIGKILLs itself after `sends` sends."""
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.integration.notify_crash_worker",
            database_url,
            str(sends),
            "1",
        ],
        cwd=ROOT,
        timeout=120,
        capture_output=True,
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]


async def test_a_crash_between_send_and_record_repeats_only_the_delivery_in_flight(
    notify: NotifyUnderTest, smtp: SmtpReceiver, database_url: str
):
    for n in range(6):  # six cases, the complainant of each told by e-mail
        await notify.apply(dispute_filed(uuid.uuid4(), email=f"li{n}@example.com"))
    mails = await notify.deliveries(channel="email")
    assert len(mails) == 6 and {r.status for r in mails} == {"queued"}

    _crash_after(database_url, 3)

    # The crash left two sends recorded and one sent but unrecorded, whose lease is all it
    # holds; the three not yet sent are free for the next worker.
    assert len(smtp.mails) == 3
    rows = await notify.deliveries(channel="email")
    assert sum(r.status == "sent" for r in rows) == 2
    leased = [r for r in rows if r.status == "queued" and r.lease_until is not None]
    assert len(leased) == 1
    in_flight = leased[0]
    assert in_flight.idempotency_key in {m.key for m in smtp.mails}

    # Restarted at once: the free ones leave, each once; the one in flight waits for its lease.
    notify.clock.set(datetime.now(UTC))
    await notify.send_due()
    keys = Counter(m.key for m in smtp.mails)
    assert max(keys.values()) == 1
    assert in_flight.idempotency_key in keys

    # Its lease runs out: it is sent again, the only repeat, under its first Message-ID.
    notify.clock.set(in_flight.lease_until + timedelta(seconds=1))
    await notify.send_due()
    keys = Counter(m.key for m in smtp.mails)
    assert set(keys) == {r.idempotency_key for r in rows}
    assert {k for k, n in keys.items() if n > 1} == {in_flight.idempotency_key}
    assert keys[in_flight.idempotency_key] == 2
    copies = [m for m in smtp.mails if m.key == in_flight.idempotency_key]
    assert copies[0].message_id == copies[1].message_id
    assert copies[0].message_id == message_id(in_flight.idempotency_key, "ws.test")
    assert {r.status for r in await notify.deliveries(channel="email")} == {"sent"}
