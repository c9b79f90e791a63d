"""The command-line tools: create-user and seed-demo."""

import sqlalchemy as sa

from repairlab.people.models import Cohort, Lab, Role, Territory, User


def test_create_user_from_environment_password(app, db, monkeypatch):
    monkeypatch.setenv("REPAIRLAB_PASSWORD", "a long enough password")
    result = app.test_cli_runner().invoke(args=["create-user", "Boss@Example.org", "--role", "admin"])
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output
    user = db.session.scalar(sa.select(User))
    assert user.email == "boss@example.org" and user.role == Role.ADMIN


def test_create_user_with_territory_and_prompted_password(app, db, territory):
    result = app.test_cli_runner().invoke(
        args=["create-user", "lab@example.org", "--role", "lab_manager", "--territory", "rbx"],
        input="a long enough password\na long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "a long enough password" not in result.output
    assert db.session.scalar(sa.select(User.territory_id)) == territory.id


def test_create_user_refuses_bad_input_clearly(app, db):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "m@example.org", "--role", "mentor", "--password", "long password 1"])
    assert result.exit_code != 0 and "territoire" in result.output.lower()
    result = runner.invoke(
        args=["create-user", "m@example.org", "--role", "mentor", "--territory", "ZZZ", "--password", "long password 1"]
    )
    assert result.exit_code != 0 and "ZZZ" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == 0


def test_seed_demo_loads_three_territories_and_prints_accounts(app, db):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "demo password 42"])
    assert result.exit_code == 0, result.output
    assert "admin@repairlab.demo" in result.output and "demo password 42" in result.output
    codes = db.session.scalars(sa.select(Territory.code).order_by(Territory.code)).all()
    assert codes == ["MRS", "PAR", "RBX"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Lab)) == 6
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Cohort)) == 6
    roles = set(db.session.scalars(sa.select(User.role).distinct()))
    assert roles == set(Role)
    assert "Roubaix-Lille" in {t.name for t in db.session.scalars(sa.select(Territory))}


def test_seed_demo_if_empty_keeps_existing_data(app, db):
    runner = app.test_cli_runner()
    runner.invoke(args=["seed-demo", "--password", "demo password 42"])
    count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0 and "admin@repairlab.demo" in result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(User)) == count


def test_seed_demo_refuses_a_non_empty_database(app, db, admin):
    result = app.test_cli_runner().invoke(args=["seed-demo"])
    assert result.exit_code != 0
