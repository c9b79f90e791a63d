"""Rules of the people services: accounts, login throttling, territories, labs, cohorts."""

from datetime import date

import pytest
import sqlalchemy as sa

from repairlab.audit.models import AuditEntry
from repairlab.errors import Conflict, PermissionDenied, ValidationError
from repairlab.people import services
from repairlab.people.models import LoginThrottle, Role, Track, User
from tests.conftest import TEST_PASSWORD


def _users(db):
    return db.session.scalars(sa.select(User)).all()


def _create_user(actor=None, **values):
    """services.create_user with a valid e-mail, name and password unless the test gives its own."""
    return services.create_user(
        actor, **{"email": "a@example.org", "full_name": "A", "password": TEST_PASSWORD, **values}
    )


def test_create_user_normalises_email_and_hashes_password(db, territory):
    user = services.create_user(
        None,
        email="  Amina.Benali@Example.ORG ",
        full_name=" Amina Benali ",
        password=TEST_PASSWORD,
        role=Role.PARTICIPANT,
        territory=territory,
    )
    db.session.commit()
    assert user.email == "amina.benali@example.org"
    assert user.full_name == "Amina Benali"
    assert TEST_PASSWORD not in user.password_hash


def test_duplicate_email_is_refused_whatever_the_case(db, make_user, territory):
    make_user(email="karim@example.org")
    with pytest.raises(Conflict):
        services.create_user(
            None,
            email="KARIM@example.org",
            full_name="K",
            password=TEST_PASSWORD,
            role=Role.MENTOR,
            territory=territory,
        )
    db.session.rollback()
    assert len(_users(db)) == 1


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.MENTOR, Role.LAB_MANAGER])
def test_territory_roles_need_a_territory(db, role):
    with pytest.raises(ValidationError) as err:
        _create_user(role=role)
    assert err.value.field == "territory_id"


@pytest.mark.parametrize("role", [Role.ADMIN, Role.RESEARCHER])
def test_global_roles_have_no_territory(db, territory, role):
    with pytest.raises(ValidationError):
        _create_user(role=role, territory=territory)


def test_database_refuses_a_territory_role_without_territory(db, make_user):
    user = make_user(Role.MENTOR)
    user.territory_id = None
    with pytest.raises(sa.exc.IntegrityError):
        db.session.commit()
    db.session.rollback()


def test_cohort_must_be_in_the_talents_territory(db, make_territory, make_cohort, territory):
    other = make_territory("PAR", "Paris-Montreuil")
    cohort = make_cohort(territory_=other)
    with pytest.raises(ValidationError) as err:
        _create_user(role=Role.PARTICIPANT, territory=territory, cohort=cohort)
    assert err.value.field == "cohort_id"


def test_only_talents_have_a_track(db, territory):
    with pytest.raises(ValidationError):
        _create_user(role=Role.MENTOR, territory=territory, track=Track.EMPLOYMENT)


def test_short_password_is_refused(db, territory):
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    for short in ("short", "eleven char"):  # 12 characters at least (OWASP ASVS 2.1.1)
        with pytest.raises(ValidationError) as err:
            _create_user(password=short, role=Role.ADMIN)
        assert err.value.field == "password"
        assert "12" in str(err.value)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count


def test_common_password_is_refused_whatever_its_case(db, territory):
    for common in ("123456789qwerty", "1234567890qwerty", "123456789QWERTY"):  # in the most common 30,000
        with pytest.raises(ValidationError) as err:
            _create_user(password=common, role=Role.ADMIN)
        assert err.value.field == "password"
        assert "un des plus courants" in str(err.value)
    assert _create_user(password="pince à vélo rouge", role=Role.ADMIN).id


def test_creating_a_user_is_audited_without_secrets(db, admin, territory):
    user = services.create_user(
        admin,
        email="new@example.org",
        full_name="Nouvelle",
        password=TEST_PASSWORD,
        role=Role.MENTOR,
        territory=territory,
    )
    db.session.commit()
    entry = db.session.scalar(
        sa.select(AuditEntry).where(AuditEntry.object_type == "users", AuditEntry.object_id == str(user.id))
    )
    assert entry.action == "create" and entry.actor_id == admin.id
    assert entry.after["email"] == "new@example.org" and entry.after["role"] == "mentor"
    assert "password_hash" not in entry.after and "session_token" not in entry.after
    assert entry.territory_id == territory.id


def test_update_user_records_before_and_after(db, admin, make_user, territory):
    user = make_user(Role.MENTOR, name="Avant")
    services.update_user(
        admin,
        user,
        email=user.email,
        full_name="Après",
        role=Role.LAB_MANAGER,
        territory=territory,
        cohort=None,
        track=None,
        locale="en",
    )
    db.session.commit()
    entry = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "update")).one()
    assert entry.before["full_name"] == "Avant" and entry.after["full_name"] == "Après"
    assert ("role", "mentor", "lab_manager") in entry.changed_fields


def test_admin_cannot_demote_or_deactivate_themself(db, admin):
    with pytest.raises(PermissionDenied):
        services.update_user(
            admin,
            admin,
            email=admin.email,
            full_name=admin.full_name,
            role=Role.RESEARCHER,
            territory=None,
            cohort=None,
            track=None,
            locale="fr",
        )
    db.session.rollback()
    with pytest.raises(PermissionDenied):
        services.set_user_active(admin, admin, False)


def test_deactivation_rotates_the_session_token(db, admin, make_user):
    user = make_user(Role.MENTOR)
    token = user.session_token
    services.set_user_active(admin, user, False)
    db.session.commit()
    assert not user.active and user.session_token != token


# --- Authentication -------------------------------------------------------------------------------


def test_authenticate_with_the_right_password(db, make_user):
    user = make_user(email="ok@example.org")
    result = services.authenticate("OK@example.org ", TEST_PASSWORD, "10.0.0.1")
    assert result.user == user and result.error is None
    assert user.last_login_at is not None


def test_wrong_password_and_unknown_account_give_the_same_message(db, make_user):
    make_user(email="known@example.org")
    wrong = services.authenticate("known@example.org", "not the password", "10.0.0.1")
    unknown = services.authenticate("nobody@example.org", "not the password", "10.0.0.1")
    assert wrong.user is None and unknown.user is None
    assert wrong.error == unknown.error


def test_deactivated_account_cannot_log_in(db, make_user):
    make_user(email="gone@example.org", active=False)
    result = services.authenticate("gone@example.org", TEST_PASSWORD, "10.0.0.1")
    assert result.user is None
    assert "désactivé" in result.error


def test_deactivation_is_not_revealed_without_the_right_password(db, make_user):
    make_user(email="gone@example.org", active=False)
    result = services.authenticate("gone@example.org", "wrong password", "10.0.0.1")
    assert "désactivé" not in result.error


def test_success_clears_the_failures_of_the_account_from_that_address(db, make_user):
    make_user(email="me@example.org")
    services.authenticate("me@example.org", "typo", "10.0.0.1")
    services.authenticate("me@example.org", "someone else's guess", "10.0.0.2")
    services.authenticate("me@example.org", TEST_PASSWORD, "10.0.0.1")
    assert db.session.scalars(sa.select(LoginThrottle.address)).all() == ["10.0.0.2"]


def test_change_password_requires_the_current_one(db, make_user):
    user = make_user()
    with pytest.raises(ValidationError):
        services.change_password(user, user, "wrong", "a brand new password")
    token = user.session_token
    services.change_password(user, user, TEST_PASSWORD, "a brand new password")
    db.session.commit()
    assert user.session_token != token
    assert services.authenticate(user.email, "a brand new password", "10.0.0.1").user == user


# --- Territories, labs, cohorts -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["R", "RBX1", "TOOLONG", "r-x", ""])
def test_territory_code_format(db, code):
    with pytest.raises(ValidationError):
        services.create_territory(None, code=code, name="Quelque part")


def test_territory_code_is_upper_cased_and_unique(db, territory):
    assert territory.code == "RBX"
    with pytest.raises(Conflict):
        services.create_territory(None, code="rbx", name="Autre")
    with pytest.raises(Conflict):
        services.create_territory(None, code="LIL", name="roubaix-lille")


def test_territory_code_never_changes(db, admin, territory):
    services.update_territory(admin, territory, name="Roubaix-Lille Métropole", active=True)
    db.session.commit()
    assert territory.code == "RBX" and territory.name == "Roubaix-Lille Métropole"


def test_lab_names_are_unique_within_a_territory(db, make_lab, make_territory, territory):
    make_lab("Atelier Central")
    with pytest.raises(Conflict):
        services.create_lab(None, territory=territory, name="atelier central")
    db.session.rollback()
    other = make_territory("PAR", "Paris")
    assert services.create_lab(None, territory=other, name="Atelier Central").id


def test_cohort_dates_must_be_ordered(db, territory):
    with pytest.raises(ValidationError) as err:
        services.create_cohort(
            None,
            territory=territory,
            name="P",
            start_date=date(2026, 5, 1),
            end_date=date(2026, 4, 1),
            target_talents=10,
        )
    assert err.value.field == "end_date"


def test_cohort_with_talents_cannot_move_territory(db, admin, talent, make_territory):
    cohort = talent.cohort
    other = make_territory("MRS", "Aix-Marseille")
    with pytest.raises(ValidationError):
        services.update_cohort(
            admin,
            cohort,
            territory=other,
            name=cohort.name,
            start_date=cohort.start_date,
            end_date=cohort.end_date,
            target_talents=cohort.target_talents,
        )
