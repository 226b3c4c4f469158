import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.environment import env_bool, env_int, env_list, secret_key


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("yes", True), ("off", False), ("", False)]
)
def test_env_bool_parses_the_usual_spellings(raw, value):
    assert env_bool("X", default=not value, environ={"X": raw}) is value


def test_env_bool_rejects_a_typo_loudly():
    with pytest.raises(ImproperlyConfigured, match="X='flase' is not a boolean"):
        env_bool("X", default=False, environ={"X": "flase"})


def test_env_int_rejects_words_and_values_below_the_minimum():
    with pytest.raises(ImproperlyConfigured, match="not a whole number"):
        env_int("N", 1, environ={"N": "ten"})
    with pytest.raises(ImproperlyConfigured, match="at least 300"):
        env_int("N", 400, minimum=300, environ={"N": "5"})


def test_env_list_rejects_an_empty_item():
    assert env_list("H", [], environ={"H": "a.org, b.org"}) == ["a.org", "b.org"]
    with pytest.raises(ImproperlyConfigured, match="empty item"):
        env_list("H", [], environ={"H": "a.org,,b.org"})


def test_secret_key_comes_from_env_then_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("k" * 40 + "\n")
    assert secret_key(tmp_path / "none", environ={"SECRET_KEY": "e" * 40}) == "e" * 40
    assert (
        secret_key(tmp_path / "none", environ={"SECRET_KEY_FILE": str(key_file)})
        == "k" * 40
    )


def test_secret_key_missing_or_short_fails_with_advice(tmp_path):
    with pytest.raises(ImproperlyConfigured, match="set SECRET_KEY or SECRET_KEY_FILE"):
        secret_key(tmp_path / "missing", environ={})
    with pytest.raises(ImproperlyConfigured, match="shorter than 32"):
        secret_key(tmp_path / "x", environ={"SECRET_KEY": "short"})
