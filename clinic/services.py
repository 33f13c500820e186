"""Writes for clinics and memberships."""

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from clinic.audit import record
from clinic.models import AuditAction, AuditOutcome, Clinic, Membership, Role


@transaction.atomic
def clinic_get_or_create(*, name: str) -> tuple[Clinic, bool]:
    name = name.strip()
    if not name:
        raise ValidationError({"name": "A clinic needs a name."})
    return Clinic.objects.get_or_create(name=name)


@transaction.atomic
def member_add(
    *,
    clinic: Clinic,
    username: str,
    password: str,
    role: str = Role.PRACTITIONER,
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Create the user (or reset the password of an existing one) and make them a member of the clinic; a name given
    is the one documents print."""
    if role not in Role.values:
        raise ValidationError({"role": f"Role must be one of {', '.join(Role.values)}."})
    user_model = get_user_model()
    user: AbstractUser
    user, _ = user_model.objects.get_or_create(username=username)
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    if first_name or last_name:
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
    user.full_clean()
    user.save()
    membership, created = Membership.objects.get_or_create(user=user, clinic=clinic, defaults={"role": role})
    if not created and (membership.role != role or not membership.is_active):
        membership.role = role
        membership.is_active = True
        membership.save(update_fields=["role", "is_active"])
    return membership


# --- Members (owners manage them on /clinic/members/) ------------------------------------------------------------

LAST_OWNER_MESSAGE = "A clinic must keep at least one active owner: make another member an owner first."


def _validate_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError({"role": f"Role must be one of {', '.join(Role.values)}."})


def _ensure_another_active_owner(membership: Membership) -> None:
    """Refuse a change that would leave the clinic without an active owner.

    The clinic's active owner rows are locked first, so two owners demoting each other at the same moment cannot
    both succeed.
    """
    owners = list(
        Membership.objects.select_for_update()
        .filter(clinic_id=membership.clinic_id, role=Role.OWNER, is_active=True)
        .values_list("pk", flat=True)
    )
    if membership.pk in owners and len(owners) == 1:
        raise ValidationError({"role": LAST_OWNER_MESSAGE})


def _locked(membership: Membership) -> Membership:
    """The membership as it is now, locked: the last-owner rule is judged on its current role, not a stale copy."""
    return Membership.objects.select_for_update().get(pk=membership.pk)


@transaction.atomic
def membership_add(
    *,
    clinic: Clinic,
    actor: AbstractBaseUser,
    username: str,
    role: str,
    password: str = "",
    first_name: str = "",
    last_name: str = "",
) -> Membership:
    """Make a user a member of the clinic: an existing user by username, or a new user with a password (and the name
    the documents print: the home-care sheet, the visit note and the referral letter name the practitioner).

    An existing user's password is never touched (an owner of one clinic must not take over an account that may
    belong to other clinics too); giving a password for an existing username is refused.
    """
    _validate_role(role)
    username = username.strip()
    if not username:
        raise ValidationError({"username": "A username is required."})
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is None:
        if not password:
            raise ValidationError({"password": "A new user needs a password."})
        user = user_model(username=username, first_name=first_name.strip(), last_name=last_name.strip())
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
        user.set_password(password)
        user.full_clean()
        user.save()
    elif password:
        raise ValidationError({"password": "This user already exists: add them without a password."})
    elif not user.is_active:
        raise ValidationError({"username": "This user account is deactivated."})
    try:
        with transaction.atomic():  # the unique (user, clinic) constraint decides, also between two owners at once
            return Membership.objects.create(user=user, clinic=clinic, role=role)
    except IntegrityError as exc:
        raise ValidationError(
            {"username": "Already a member of this clinic (reactivate or change the role instead)."}
        ) from exc


@transaction.atomic
def membership_set_role(*, membership: Membership, actor: AbstractBaseUser, role: str) -> Membership:
    _validate_role(role)
    membership = _locked(membership)
    if membership.role == Role.OWNER and role != Role.OWNER:
        _ensure_another_active_owner(membership)
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_deactivate(*, membership: Membership, actor: AbstractBaseUser) -> Membership:
    """The member can no longer act for this clinic (their other clinics and their account are untouched)."""
    membership = _locked(membership)
    if membership.role == Role.OWNER:
        _ensure_another_active_owner(membership)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    return membership


@transaction.atomic
def membership_reactivate(*, membership: Membership, actor: AbstractBaseUser) -> Membership:
    membership.is_active = True
    membership.save(update_fields=["is_active"])
    return membership


# --- The clinic's own details (owners edit them on /clinic/settings/) ---------------------------------------------

CLINIC_SETTINGS_FIELDS = ("name", "address", "phone", "time_zone")


@transaction.atomic
def clinic_update(
    *, clinic: Clinic, actor: AbstractBaseUser, name: str, address: str, phone: str, time_zone: str
) -> Clinic:
    """Change the clinic's name, address and phone (printed on its documents) and its time zone (its "today" and the
    times on its pages from the next request on: clinic.tenancy.ClinicTimeZoneMiddleware).

    Everything is validated before anything is saved (an IANA zone name, a name no other clinic has); the change and
    its audit event commit together. The row is locked first, so two owners saving at once are applied one after the
    other.
    """
    clinic = Clinic.objects.select_for_update().get(pk=clinic.pk)
    clinic.name, clinic.address, clinic.phone = name.strip(), address.strip(), phone.strip()
    clinic.time_zone = time_zone
    clinic.full_clean()
    clinic.save(update_fields=list(CLINIC_SETTINGS_FIELDS))
    record(
        user=actor,
        clinic=clinic,
        action=AuditAction.UPDATE,
        outcome=AuditOutcome.SUCCESS,
        object_type="clinic",
        object_id=clinic.pk,
        route="clinic-settings",
        method="POST",
    )
    return clinic
