"""Owners manage the clinic's members on /clinic/members/; a clinic always keeps an active owner."""

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from clinic import services
from clinic.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(clinic):
    return MembershipFactory(clinic=clinic, role=Role.OWNER, user__username="olga.owner")


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner.user)
    return client


@pytest.fixture
def colleague(clinic):
    return MembershipFactory(clinic=clinic, role=Role.PRACTITIONER, user__username="carl.colleague")


def test_the_page_lists_members_with_their_roles(owner_client, owner, colleague):
    response = owner_client.get(reverse("members"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "olga.owner" in html and "carl.colleague" in html
    assert f'id="member-{colleague.pk}"' in html
    assert 'href="/clinic/members/"' in html  # the owner's navigation shows the members link


def test_an_existing_user_is_added_with_the_chosen_role_and_keeps_their_password(owner_client, clinic):
    existing = UserFactory(username="erin.elsewhere")
    response = owner_client.post(reverse("member-add"), {"username": "erin.elsewhere", "role": "assistant"})
    assert response.status_code == 302
    membership = Membership.objects.get(user=existing, clinic=clinic)
    assert membership.role == Role.ASSISTANT and membership.is_active
    existing.refresh_from_db()
    assert existing.check_password("correct-horse-battery")


def test_a_new_user_is_created_with_a_password_and_can_sign_in(owner_client, clinic, client):
    response = owner_client.post(
        reverse("member-add"), {"username": "nina.new", "role": "practitioner", "password": "a-long-passphrase-8812"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(user__username="nina.new", clinic=clinic).role == Role.PRACTITIONER
    assert get_user_model().objects.get(username="nina.new").check_password("a-long-passphrase-8812")


def test_a_new_user_s_name_is_kept_for_the_documents_and_shown_in_the_list(owner_client, clinic):
    data = {"username": "zoe.new", "role": "practitioner", "password": "a-long-passphrase-8812",
            "first_name": "Zoë", "last_name": "Łukasiewicz"}  # fmt: skip
    assert owner_client.post(reverse("member-add"), data).status_code == 302
    assert get_user_model().objects.get(username="zoe.new").get_full_name() == "Zoë Łukasiewicz"
    assert "Zoë Łukasiewicz" in owner_client.get(reverse("members")).content.decode()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"username": "nobody.yet", "role": "assistant"}, "password"),  # a new user needs a password
        ({"username": "nobody.yet", "role": "assistant", "password": "123"}, "password"),  # too weak
        ({"username": "olga.owner", "role": "assistant"}, "username"),  # already a member
        ({"username": "olga.owner", "role": "assistant", "password": "a-long-passphrase-8812"}, "password"),
        ({"username": "nobody.yet", "role": "superuser", "password": "a-long-passphrase-8812"}, "role"),
    ],
)
def test_a_bad_addition_is_400_with_the_reason_and_adds_no_one(owner_client, clinic, data, field):
    count = Membership.objects.count()
    response = owner_client.post(reverse("member-add"), data)
    assert response.status_code == 400
    assert response.context["form"].errors[field]
    assert Membership.objects.count() == count
    assert not get_user_model().objects.filter(username="nobody.yet").exists()


def test_an_owner_changes_a_role(owner_client, colleague):
    assert owner_client.post(reverse("member-role", args=[colleague.pk]), {"role": "assistant"}).status_code == 302
    colleague.refresh_from_db()
    assert colleague.role == Role.ASSISTANT


def test_the_last_active_owner_cannot_step_down_nor_be_deactivated(owner_client, owner):
    response = owner_client.post(reverse("member-role", args=[owner.pk]), {"role": "practitioner"})
    assert response.status_code == 400
    assert "at least one active owner" in response.content.decode()
    assert owner_client.post(reverse("member-deactivate", args=[owner.pk])).status_code == 400
    owner.refresh_from_db()
    assert owner.role == Role.OWNER and owner.is_active


def test_with_a_second_owner_the_first_may_step_down(owner_client, owner, colleague):
    owner_client.post(reverse("member-role", args=[colleague.pk]), {"role": "owner"})
    assert owner_client.post(reverse("member-role", args=[owner.pk]), {"role": "practitioner"}).status_code == 302
    owner.refresh_from_db()
    assert owner.role == Role.PRACTITIONER


def test_an_inactive_owner_does_not_count_as_the_clinics_owner(owner, colleague):
    second: Any = MembershipFactory(clinic=owner.clinic, role=Role.OWNER)
    services.membership_deactivate(membership=second, actor=owner.user)
    with pytest.raises(ValidationError):
        services.membership_deactivate(membership=owner, actor=owner.user)


def test_a_deactivated_member_loses_access_until_reactivated(owner_client, colleague, patient):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=colleague.user).key}")
    assert api.get(f"/api/v1/patients/{patient.pk}/").status_code == 200
    assert owner_client.post(reverse("member-deactivate", args=[colleague.pk])).status_code == 302
    assert api.get(f"/api/v1/patients/{patient.pk}/").status_code == 403
    colleague.user.refresh_from_db()
    assert colleague.user.is_active  # only the membership is deactivated, not the account
    assert owner_client.post(reverse("member-reactivate", args=[colleague.pk])).status_code == 302
    assert api.get(f"/api/v1/patients/{patient.pk}/").status_code == 200


def test_another_clinics_membership_is_404(owner_client, other_clinic):
    foreign = MembershipFactory(clinic=other_clinic, role=Role.OWNER)
    for route in ("member-role", "member-deactivate", "member-reactivate"):
        assert owner_client.post(reverse(route, args=[foreign.pk]), {"role": "assistant"}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == Role.OWNER and foreign.is_active


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.ASSISTANT])
def test_only_owners_manage_members(client, clinic, colleague, role):
    member = MembershipFactory(clinic=clinic, role=role)
    client.force_login(member.user)
    assert client.get(reverse("members")).status_code == 403
    assert client.post(reverse("member-role", args=[colleague.pk]), {"role": "owner"}).status_code == 403
    assert 'href="/clinic/members/"' not in client.get(reverse("patients:list")).content.decode()
    colleague.refresh_from_db()
    assert colleague.role == Role.PRACTITIONER


def test_adding_an_existing_member_is_refused_by_the_unique_constraint_with_a_400(owner, colleague):
    with pytest.raises(ValidationError, match="Already a member"):
        services.membership_add(
            clinic=owner.clinic, actor=owner.user, username=colleague.user.username, role=Role.ASSISTANT
        )
    assert Membership.objects.filter(user=colleague.user, clinic=owner.clinic).count() == 1
