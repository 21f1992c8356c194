import pytest
from cryptography.fernet import Fernet

from isp_common.secrets import SecretBox


def test_encrypts_so_the_plaintext_is_not_visible_and_decrypts_back() -> None:
    box = SecretBox(Fernet.generate_key().decode())
    token = box.encrypt("pppoe-pass-123")
    assert "pppoe-pass-123" not in token
    assert box.decrypt(token) == "pppoe-pass-123"


def test_rotation_new_key_first_still_reads_old_tokens() -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    token = SecretBox(old).encrypt("s3cret")
    rotated = SecretBox(f"{new},{old}")
    assert rotated.decrypt(token) == "s3cret"
    with pytest.raises(ValueError):
        SecretBox(new).decrypt(token)
