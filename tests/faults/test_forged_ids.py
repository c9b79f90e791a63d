"""Cases the generated input (test_generated_input.py) found, kept as plain tests: an id field posted with a value
that is no id at all is refused with its message, and nothing changes."""

from __future__ import annotations

import pytest

from repairlab.people.models import Role
from tests.faults.test_generated_input import _counts_statement, _row_counts
from tests.inventory.conftest import other_territory  # noqa: F401  (fixture of the projects' fixtures)
from tests.projects.conftest import make_project, make_stage, stages  # noqa: F401  (fixtures)


@pytest.fixture
def project_setup(make_user, territory, make_project, stages):  # noqa: F811
    mentor = make_user(Role.MENTOR)
    return mentor, make_project(territory, mentors=[mentor], stage=stages[0])


@pytest.mark.parametrize("forged", ["abc", "Robert'); DROP TABLE items;--", "😀"])
def test_a_forged_person_added_to_a_team_is_refused_and_nothing_changes(client, login, project_setup, forged):
    mentor, project = project_setup
    login(mentor)
    statement = _counts_statement()
    before = _row_counts(statement)
    response = client.post(f"/projects/{project.id}/team/add?role=team", data={"team-user_id": forged})
    assert response.status_code == 302
    with client.session_transaction() as session:
        assert ("error", "Choisissez une personne.") in session["_flashes"]
    assert _row_counts(statement) == before
