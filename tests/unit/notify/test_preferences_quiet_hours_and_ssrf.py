import json
from datetime import UTC, datetime

import pytest

from services.notify.adapters.directory_file import DirectoryError, load_channel_directory
from services.notify.adapters.target_guard import TargetGuard, TargetUnresolvable, UnsafeTarget
from services.notify.domain.preferences import ChannelChoice, select_channels
from services.notify.domain.quiet_hours import QuietHours

QUIET = QuietHours.parse("22:00", "07:00")
AVAILABLE = ["inapp", "email", "webhook", "webhook-2", "sms"]


def _shanghai(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=QUIET.zone).astimezone(UTC)


def test_a_routine_message_at_23h_waits_until_seven_the_next_morning():
    assert QUIET.release_at(_shanghai(1, 23), critical=False) == _shanghai(2, 7)


def test_a_routine_message_after_midnight_waits_until_seven_the_same_morning():
    assert QUIET.release_at(_shanghai(2, 3, 30), critical=False) == _shanghai(2, 7)


def test_daytime_messages_and_critical_notices_go_at_once():
    assert QUIET.release_at(_shanghai(2, 7), critical=False) == _shanghai(2, 7)
    assert QUIET.release_at(_shanghai(1, 23), critical=True) == _shanghai(1, 23)


def test_a_window_inside_one_day_and_an_empty_window():
    lunch = QuietHours.parse("12:00", "13:30")
    assert lunch.release_at(_shanghai(1, 12, 10), critical=False) == _shanghai(1, 13, 30)
    never = QuietHours.parse("00:00", "00:00")
    assert never.release_at(_shanghai(1, 23), critical=False) == _shanghai(1, 23)


def test_opting_out_keeps_only_the_inbox_for_routine_messages():
    assert select_channels(AVAILABLE, ChannelChoice(opted_out=True), critical=False) == ["inapp"]


def test_a_channel_choice_keeps_every_target_of_the_chosen_kinds():
    choice = ChannelChoice(channels=frozenset({"webhook"}))
    assert select_channels(AVAILABLE, choice, critical=False) == ["inapp", "webhook", "webhook-2"]


def test_critical_notices_ignore_opt_out_and_channel_choice():
    choice = ChannelChoice(opted_out=True, channels=frozenset())
    assert select_channels(AVAILABLE, choice, critical=True) == AVAILABLE


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "172.16.0.5",
        "192.168.1.1",
        "169.254.169.254",
        "100.100.100.200",
        "0.0.0.0",
        "::1",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "224.0.0.1",
    ],
)
def test_webhooks_to_loopback_private_link_local_and_metadata_addresses_are_refused(address):
    guard = TargetGuard(resolver=lambda _host: [address])
    with pytest.raises(UnsafeTarget):
        guard.check("json://hooks.example.com/x")


def test_a_literal_private_ip_is_refused_without_asking_dns():
    with pytest.raises(UnsafeTarget):
        TargetGuard().check("jsons://10.0.0.8:8443/hook")


def test_one_private_answer_among_public_ones_is_enough_to_refuse():
    guard = TargetGuard(resolver=lambda _host: ["93.184.215.14", "10.0.0.1"])
    with pytest.raises(UnsafeTarget):
        guard.check("form://hooks.example.com/x")


def test_public_hosts_pass_and_unresolvable_hosts_are_retried_later():
    TargetGuard(resolver=lambda _host: ["93.184.215.14"]).check("json://hooks.example.com/x")
    with pytest.raises(TargetUnresolvable):
        TargetGuard(resolver=lambda _host: []).check("json://nowhere.example/x")


def test_configuration_allows_named_hosts_or_every_private_target():
    TargetGuard(allowed_hosts=["127.0.0.1"]).check("json://127.0.0.1:9000/x")
    TargetGuard(allow_private=True).check("json://192.168.1.20/x")
    with pytest.raises(UnsafeTarget):
        TargetGuard(allowed_hosts=["127.0.0.1"]).check("json://localhost:9000/x")


def test_robots_and_mail_are_not_webhook_targets():
    guard = TargetGuard(resolver=lambda _host: ["127.0.0.1"])
    guard.check("dingtalk://token/")
    guard.check("mailto://127.0.0.1:25?from=a@b.cc")


def test_a_directory_naming_a_loopback_webhook_is_refused_when_loaded(tmp_path):
    path = tmp_path / "channels.json"
    path.write_text(json.dumps({"parties": {"committee": {"urls": ["json://127.0.0.1:8090/c"]}}}))
    with pytest.raises(DirectoryError, match="committee"):
        load_channel_directory(path, TargetGuard())
    assert load_channel_directory(path, TargetGuard(allowed_hosts=["127.0.0.1"])).lookup(
        "committee"
    )


def test_a_directory_with_an_unsupported_scheme_is_refused(tmp_path):
    path = tmp_path / "channels.json"
    path.write_text(json.dumps({"parties": {"committee": {"urls": ["twilio://a:b@c"]}}}))
    with pytest.raises(DirectoryError, match="unsupported"):
        load_channel_directory(path, TargetGuard())
