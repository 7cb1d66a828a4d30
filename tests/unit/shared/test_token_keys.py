"""TokenKeys.verify: a token's signature is checked once, its expiry at every use."""

from __future__ import annotations

import time

import jwt
import pytest

from shared.contracts.envelope import Actor
from shared.platform.auth.keys import TokenKeys
from shared.platform.auth.tokens import (
    ALGORITHM,
    AUDIENCE,
    ISSUER,
    LEEWAY,
    InvalidToken,
    generate_keypair,
    issue,
)

OFFICER = Actor(role="intake_officer", id="officer-1")


def test_a_token_verified_again_gives_the_same_principal():
    private, public = generate_keypair()
    keys = TokenKeys(public)
    token = issue(private, OFFICER, user_id="u1", name="Wang")
    first = keys.verify(token)
    assert first.actor == OFFICER and first.user_id == "u1" and first.name == "Wang"
    assert keys.verify(token) == first


def test_a_remembered_token_is_refused_once_it_has_expired():
    private, public = generate_keypair()
    keys = TokenKeys(public)
    now = int(time.time())
    claims = {"sub": "u1", "role": OFFICER.role, "actor_id": OFFICER.id, "iss": ISSUER}
    claims |= {"aud": AUDIENCE, "iat": now - 60, "exp": now + 60}
    token = jwt.encode(claims, private, algorithm=ALGORITHM)
    principal = keys.verify(token)
    # The same token, its lifetime over (its expiry moved back past the leeway).
    keys._verified[token] = type(principal)(
        principal.actor, principal.user_id, principal.name, now - LEEWAY - 1
    )
    with pytest.raises(InvalidToken):
        keys.verify(token)


def test_a_token_of_another_key_or_a_broken_one_is_refused_every_time():
    private, _ = generate_keypair()
    _, public = generate_keypair()
    keys = TokenKeys(public)
    token = issue(private, OFFICER, user_id="u1")
    for _ in range(2):
        with pytest.raises(InvalidToken):
            keys.verify(token)
        with pytest.raises(InvalidToken):
            keys.verify(token[:-4] + "AAAA")


def test_an_unreadable_public_key_refuses_tokens_rather_than_failing():
    private, _ = generate_keypair()
    with pytest.raises(InvalidToken):
        TokenKeys(b"").verify(issue(private, OFFICER, user_id="u1"))
