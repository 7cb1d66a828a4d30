"""The e-mail a delivery becomes: its Message-ID follows its idempotency key."""

from email import message_from_bytes, policy

from services.notify.adapters.mail import MailSettings, compose
from services.notify.domain.delivery import message_id

KEY = "5f0e9a52-3d1c-4a8e-9b7f-0c2d4e6f8a1b:c-li:email"


def test_a_message_id_is_the_same_for_every_copy_and_differs_between_keys():
    assert message_id(KEY, "ws.test") == message_id(KEY, "ws.test")
    assert message_id(KEY, "ws.test") != message_id(KEY.replace("c-li", "c-wu"), "ws.test")
    assert message_id(KEY, "ws.test").startswith("<") and message_id(KEY, "ws.test").endswith(
        "@ws.test>"
    )


def test_a_composed_mail_takes_its_message_id_from_the_key_in_its_url():
    url = (
        "mailto://127.0.0.1:2525?from=noreply@ws.test&name=驿站&to=li@example.com"
        f"&+X-Waystation-Idempotency-Key={KEY}"
    )
    mail = MailSettings.from_url(url)
    assert mail is not None and mail.recipients == (("", "li@example.com"),)
    msg = compose(mail, mail.recipients[0], "【青浦驿站】您的纠纷已受理", "李某，您好")
    parsed = message_from_bytes(msg.as_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == message_id(KEY, "ws.test")
    assert str(parsed["X-Waystation-Idempotency-Key"]).strip() == KEY
    assert parsed["Subject"] == "【青浦驿站】您的纠纷已受理" and parsed["To"] == "li@example.com"
    assert parsed.get_content().strip() == "李某，您好"


def test_a_mailto_url_with_login_and_tls_is_read_as_apprise_reads_it():
    mail = MailSettings.from_url("mailtos://bot:pw@mail.example.com/hr@x.cn?from=bot@example.com")
    assert mail is not None
    assert (mail.host, mail.port, mail.secure_mode) == ("mail.example.com", 587, "starttls")
    assert (mail.user, mail.password, mail.recipients) == ("bot", "pw", (("", "hr@x.cn"),))
