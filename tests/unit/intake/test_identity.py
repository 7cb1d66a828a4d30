"""Resident ID numbers: the check digit, dates, masking; the cipher seals and hashes them."""

from __future__ import annotations

import os

import pytest
from cryptography.exceptions import InvalidTag

from services.intake.adapters.pii_cipher import PiiCipher
from services.intake.domain.identity import check_digit, mask_id_number, normalise_id_number


def test_the_check_digit_follows_iso_7064_mod_11_2():
    assert check_digit("11010519491231002") == "X"
    assert check_digit("44052418800101001") == "4"


def test_a_valid_number_is_normalised_to_upper_case():
    assert normalise_id_number(" 11010519491231002x ") == "11010519491231002X"


@pytest.mark.parametrize(
    ("number", "why"),
    [
        ("110105194912310021", "check digit"),
        ("11010519490230002X", "birth date"),
        ("1101051949123100AX", "17 digits"),
    ],
)
def test_a_wrong_number_is_refused_with_the_reason(number: str, why: str):
    with pytest.raises(ValueError, match=why):
        normalise_id_number(number)


def test_a_number_is_masked_to_its_region_and_last_four():
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_the_cipher_seals_to_a_row_and_hashes_with_its_own_key():
    cipher = PiiCipher(os.urandom(32), os.urandom(32))
    sealed = cipher.encrypt("11010519491231002X", "p-1")
    assert "11010519491231002X" not in sealed
    assert sealed != cipher.encrypt("11010519491231002X", "p-1")  # a fresh nonce each time
    assert cipher.decrypt(sealed, "p-1") == "11010519491231002X"
    with pytest.raises(InvalidTag):
        cipher.decrypt(sealed, "p-2")
    assert cipher.lookup_hash("11010519491231002X") == cipher.lookup_hash("11010519491231002X")
    other = PiiCipher(os.urandom(32), os.urandom(32))
    assert other.lookup_hash("11010519491231002X") != cipher.lookup_hash("11010519491231002X")
