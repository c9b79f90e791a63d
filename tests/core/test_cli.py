"""The command-line tools: create-user and seed-demo."""

import os
import subprocess
import sys
from pathlib import Path

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


# --- The instance folder and the README's commands -------------------------------------------------------

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _snapshot(folder: Path) -> dict:
    return {p: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*")} if folder.is_dir() else {}


def test_the_suite_never_touches_the_repository_instance_folder(app, db):
    repository_instance = PROJECT_ROOT / "instance"
    before = _snapshot(repository_instance)
    result = app.test_cli_runner().invoke(args=["seed-demo", "--password", "a test password 42"])
    assert result.exit_code == 0, result.output
    own = Path(app.instance_path)
    assert repository_instance not in (own, *own.parents) and PROJECT_ROOT not in own.parents
    assert "a test password 42" in (own / "demo-accounts.txt").read_text()
    assert _snapshot(repository_instance) == before


def _flask(instance: Path, *args: str) -> subprocess.CompletedProcess:
    """`flask --app app …` as a newcomer types it in a new shell: no REPAIRLAB_ENV, no SECRET_KEY."""
    env = {k: v for k, v in os.environ.items() if k not in {"REPAIRLAB_ENV", "SECRET_KEY", "DATABASE_URL"}}
    env["REPAIRLAB_INSTANCE_PATH"] = str(instance)
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "app", *args],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_after_make_run_the_readme_flask_commands_work_in_a_new_shell(tmp_path):
    instance = tmp_path / "instance"
    subprocess.run(["make", "-s", "dev-config", f"INSTANCE={instance}"], cwd=PROJECT_ROOT, check=True, timeout=60)
    upgraded = _flask(instance, "db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    created = _flask(instance, "create-user", "new@example.org", "--role", "admin", "--password", "a long password 1")
    assert created.returncode == 0, created.stderr
    assert (instance / "repairlab.sqlite3").is_file() and (instance / "secret_key").is_file()


def test_without_the_development_config_the_app_refuses_to_start_without_a_secret_key(tmp_path):
    refused = _flask(tmp_path, "routes")
    assert refused.returncode != 0 and "SECRET_KEY is not set" in refused.stderr
