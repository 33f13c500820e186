"""Writes for clinics and memberships."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from clinic.models import Clinic, Membership, Role


@transaction.atomic
def clinic_get_or_create(*, name: str) -> tuple[Clinic, bool]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A clinic needs a name."})
    return Clinic.objects.get_or_create(name=name)


@transaction.atomic
def member_add(*, clinic: Clinic, username: str, password: str, role: str = Role.PRACTITIONER) -> Membership:
    """Create the user (or reset the password of an existing one) and make them a member of the clinic."""
    if role not in Role.values:
        raise ValidationError({"role": f"Role must be one of {', '.join(Role.values)}."})
    user_model = get_user_model()
    user: AbstractUser
    user, _ = user_model.objects.get_or_create(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.full_clean()
    user.save()
    membership, created = Membership.objects.get_or_create(user=user, clinic=clinic, defaults={"role": role})
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    return membership
