"""Passwords: Argon2 for real settings, Django's four validators, create_practitioner refuses weak passwords clearly."""

from typing import Any

import pytest
from django.contrib.auth.hashers import identify_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import override_settings

from clinic.models import Membership
from clinic.settings import base
from operations.demo import DEMO_PASSWORD

FACTORY_PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory


def test_the_real_settings_hash_new_passwords_with_argon2():
    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    with override_settings(PASSWORD_HASHERS=base.PASSWORD_HASHERS):
        encoded = make_password("correct-horse-battery")
        assert encoded.startswith("argon2$argon2id$")
        assert identify_hasher(encoded).algorithm == "argon2"


def test_the_four_validators_are_on_with_a_minimum_of_ten_characters():
    validators: list[Any] = base.AUTH_PASSWORD_VALIDATORS
    names = [v["NAME"].rsplit(".", 1)[-1] for v in validators]
    assert names == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert validators[1]["OPTIONS"]["min_length"] >= 10


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("short-1", "too short"),
        ("password123", "too common"),
        ("83920174652", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(password, reason):
    with pytest.raises(ValidationError) as caught:
        validate_password(password)
    assert any(reason in message for message in caught.value.messages)


@pytest.mark.django_db
def test_a_password_like_the_username_is_refused():
    from tests.factories import UserFactory

    user = UserFactory(username="margaret.hamilton")
    with pytest.raises(ValidationError, match="too similar"):
        validate_password("margaret.hamilton", user)  # type: ignore[arg-type]


def test_the_demo_and_test_passwords_pass_the_validators():
    validate_password(DEMO_PASSWORD)
    validate_password(FACTORY_PASSWORD)


@pytest.mark.django_db
def test_create_practitioner_refuses_a_weak_password_with_the_reason():
    with pytest.raises(CommandError) as caught:
        call_command("create_practitioner", clinic="Harbour Physio", username="kim", password="12345678")
    message = str(caught.value)
    assert "too short" in message and "at least 10 characters" in message
    assert "too common" in message and "entirely numeric" in message
    assert not Membership.objects.exists()
