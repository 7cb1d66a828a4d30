from shared.platform.logs import mask_text


def test_phone_numbers_in_log_text_are_masked():
    assert mask_text("call 13812345678 now") == "call 138****5678 now"


def test_resident_id_numbers_in_log_text_are_removed():
    assert "310101199001011234" not in mask_text("id 310101199001011234")


def test_other_numbers_are_left_alone():
    assert mask_text("8600 yuan, case 42") == "8600 yuan, case 42"
