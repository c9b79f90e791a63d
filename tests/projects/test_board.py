"""The board's use case: columns, cards and their order, filters, swimlanes, caps and bounded queries."""

from __future__ import annotations

from datetime import date

import pytest

from repairlab.people.models import Role, User
from repairlab.projects.board import queries as boards
from repairlab.projects.board.queries import BoardFilters, build_board
from repairlab.projects.board.services import move_from
from repairlab.projects.models import ProjectStatus, Sector

ON = date(2026, 6, 1)


def _names(cell) -> list[str]:
    return [card.project.name for card in cell.cards]


def _cell(board, stage, lane: int = 0):
    return next(c for c in board.lanes[lane].cells if c.stage.id == stage.id)


def test_columns_are_the_active_stages_by_position(db, admin, stages):
    stages[3].active = False
    db.session.commit()

    board = build_board(admin, BoardFilters(), on=ON)

    assert [s.name for s in board.stages] == ["Idée", "Exploration", "Prototypage", "Préparation du lancement", "Lancé"]


def test_each_project_is_a_card_in_its_stage_column(admin, territory, stages, make_project):
    make_project(territory, stage=stages[0], name="Repair Café")
    make_project(territory, stage=stages[2], name="Vélo Solidaire")

    board = build_board(admin, BoardFilters(), on=ON)

    assert _names(_cell(board, stages[0])) == ["Repair Café"]
    assert _names(_cell(board, stages[2])) == ["Vélo Solidaire"]
    assert _names(_cell(board, stages[1])) == []
    assert board.total == 2 and board.stage_totals == {stages[0].id: 1, stages[2].id: 1}


def test_cards_are_ordered_by_board_position_then_name(db, admin, territory, stages, make_project):
    make_project(territory, name="Charpente")
    make_project(territory, name="Atelier couture")
    first = make_project(territory, name="Zinc")
    first.board_position = -1
    db.session.commit()

    board = build_board(admin, BoardFilters(), on=ON)

    assert _names(_cell(board, stages[0])) == ["Zinc", "Atelier couture", "Charpente"]


def test_next_and_previous_stages_are_offered_except_at_the_ends(admin, territory, stages, make_project):
    make_project(territory, stage=stages[0], name="Début")
    make_project(territory, stage=stages[2], name="Milieu")
    make_project(territory, stage=stages[-1], name="Fin")

    board = build_board(admin, BoardFilters(), on=ON)

    first, middle, last = (_cell(board, s).cards[0] for s in (stages[0], stages[2], stages[-1]))
    assert (first.previous_stage, first.next_stage) == (None, stages[1])
    assert (middle.previous_stage, middle.next_stage) == (stages[1], stages[3])
    assert (last.previous_stage, last.next_stage) == (stages[-2], None)


def test_by_default_every_project_but_the_stopped_ones_shows(db, admin, territory, stages, make_project):
    make_project(territory, name="Actif")
    paused = make_project(territory, name="En pause")
    stopped = make_project(territory, name="Arrêté")
    launched = make_project(territory, name="Lancé", stage=stages[-1])
    paused.status = ProjectStatus.PAUSED
    stopped.status, stopped.stop_reason = ProjectStatus.STOPPED, "Plus de local"
    launched.status = ProjectStatus.LAUNCHED
    db.session.commit()

    shown = build_board(admin, BoardFilters(), on=ON)
    everything = build_board(admin, BoardFilters(status="all"), on=ON)
    only_stopped = build_board(admin, BoardFilters(status="stopped"), on=ON)

    assert _names(_cell(shown, stages[0])) == ["Actif", "En pause"]
    assert _cell(shown, stages[0]).cards[1].summary.paused
    # The last column is not always empty: launched projects stay on the board.
    assert _names(_cell(shown, stages[-1])) == ["Lancé"]
    assert len(_cell(everything, stages[0]).cards) == 3
    assert _names(_cell(only_stopped, stages[0])) == ["Arrêté"]


def test_filter_by_cohort(admin, territory, stages, make_project, make_cohort):
    cohort = make_cohort("Promo printemps")
    make_project(territory, name="Dans la promo", cohort_id=cohort.id)
    make_project(territory, name="Hors promo")

    board = build_board(admin, BoardFilters(cohort_id=cohort.id), on=ON)

    assert _names(_cell(board, stages[0])) == ["Dans la promo"]


def test_filter_by_mentor(admin, territory, stages, make_project, make_user):
    maud, karim = make_user(Role.MENTOR), make_user(Role.MENTOR)
    make_project(territory, name="Suivi par Maud", mentors=[maud])
    make_project(territory, name="Suivi par Karim", mentors=[karim])
    make_project(territory, name="Suivi par les deux", mentors=[maud, karim])

    board = build_board(admin, BoardFilters(mentor_id=maud.id), on=ON)

    assert _names(_cell(board, stages[0])) == ["Suivi par les deux", "Suivi par Maud"]


def test_filter_by_sector(admin, territory, stages, make_project):
    make_project(territory, name="Vélos", sector=Sector.BIKES)
    make_project(territory, name="Meubles", sector=Sector.FURNITURE)

    board = build_board(admin, BoardFilters(sector="bikes"), on=ON)

    assert _names(_cell(board, stages[0])) == ["Vélos"]


def test_admin_filters_by_territory(admin, territory, other_territory, stages, make_project):
    make_project(territory, name="Roubaix")
    make_project(other_territory, name="Paris")

    everything = build_board(admin, BoardFilters(), on=ON)
    paris = build_board(admin, BoardFilters(territory_id=other_territory.id), on=ON)

    assert _names(_cell(everything, stages[0])) == ["Paris", "Roubaix"]
    assert _names(_cell(paris, stages[0])) == ["Paris"]


def test_a_mentor_sees_only_the_projects_of_their_territory(mentor, territory, other_territory, stages, make_project):
    make_project(territory, name="Roubaix")
    make_project(other_territory, name="Paris")

    board = build_board(mentor, BoardFilters(territory_id=other_territory.id), on=ON)

    assert _names(_cell(board, stages[0])) == ["Roubaix"]
    assert board.choices.territories == []


def test_swimlanes_by_mentor_show_a_project_in_each_of_its_mentors_lanes(
    admin, territory, stages, make_project, make_user
):
    maud = make_user(Role.MENTOR, name="Maud Leroy")
    karim = make_user(Role.MENTOR, name="Karim Haddad")
    make_project(territory, name="Les deux", mentors=[maud, karim])
    make_project(territory, name="Avec Maud", mentors=[maud])
    make_project(territory, name="Sans mentor")

    board = build_board(admin, BoardFilters(lanes="mentor"), on=ON)

    assert [lane.label for lane in board.lanes] == ["Karim Haddad", "Maud Leroy", "No mentor"]
    assert [_names(_cell(board, stages[0], i)) for i in range(3)] == [
        ["Les deux"],
        ["Avec Maud", "Les deux"],
        ["Sans mentor"],
    ]
    assert board.total == 3


def test_swimlanes_by_cohort_with_a_lane_for_projects_without_one(admin, territory, stages, make_project, make_cohort):
    spring, autumn = make_cohort("Promo printemps"), make_cohort("Promo automne")
    make_project(territory, name="Printemps", cohort_id=spring.id)
    make_project(territory, name="Automne", cohort_id=autumn.id)
    make_project(territory, name="Sans promo")

    board = build_board(admin, BoardFilters(lanes="cohort"), on=ON)

    labels = [lane.label for lane in board.lanes]
    assert sorted(labels[:2]) == ["RBX · Promo automne", "RBX · Promo printemps"] and labels[2] == "No cohort"
    assert _names(_cell(board, stages[0], 2)) == ["Sans promo"]


def test_a_single_stage_board_shows_one_column_and_every_count(admin, territory, stages, make_project):
    make_project(territory, stage=stages[0])
    make_project(territory, stage=stages[1], name="Exploré")

    board = build_board(admin, BoardFilters(stage_id=stages[1].id), on=ON)

    assert board.stages == [stages[1]]
    assert _names(board.lanes[0].cells[0]) == ["Exploré"]
    assert board.stage_totals == {stages[0].id: 1, stages[1].id: 1}


def test_an_unknown_stage_or_cohort_filter_is_ignored(admin, territory, stages, make_project):
    make_project(territory)

    board = build_board(admin, BoardFilters(stage_id=999_999, cohort_id=999_999), on=ON)

    assert len(board.stages) == 6 and board.total == 1


def test_a_crowded_column_is_capped_with_the_total_kept(monkeypatch, admin, territory, stages, make_project):
    monkeypatch.setattr(boards, "CELL_CAP", 2)
    for name in ("A", "B", "C"):
        make_project(territory, name=name)

    board = build_board(admin, BoardFilters(), on=ON)

    cell = _cell(board, stages[0])
    assert _names(cell) == ["A", "B"] and cell.total == 3 and cell.hidden == 1


def test_filters_are_parsed_from_the_query_string_and_bad_values_ignored():
    from werkzeug.datastructures import MultiDict

    good = BoardFilters.from_args(MultiDict({"cohort": "3", "mentor": "4", "sector": "bikes", "lanes": "cohort"}))
    bad = BoardFilters.from_args(
        MultiDict(
            {"cohort": "x", "mentor": "99999999999", "sector": "nope", "status": "zz", "lanes": "?", "stage": "-1"}
        )
    )

    assert (good.cohort_id, good.mentor_id, good.sector, good.lanes) == (3, 4, "bikes", "cohort")
    assert bad == BoardFilters()
    assert good.active_count == 4 and bad.active_count == 0
    assert good.args(stage_id=7) == {"cohort": 3, "mentor": 4, "sector": "bikes", "lanes": "cohort", "stage": 7}


def test_lab_managers_cannot_move_and_mentors_can(make_user, stages):
    assert not build_board(make_user(Role.LAB_MANAGER), BoardFilters(), on=ON).can_move
    assert build_board(make_user(Role.MENTOR), BoardFilters(), on=ON).can_move


@pytest.mark.parametrize("lanes", ["", "mentor", "cohort"])
def test_the_board_runs_a_fixed_number_of_queries(
    lanes, db, admin, territory, stages, make_project, make_user, query_counter
):
    mentor = make_user(Role.MENTOR)
    admin_id = admin.id

    def count_for(n: int) -> int:
        for i in range(n):
            make_project(territory, stage=stages[i % 3], mentors=[mentor])
        db.session.expire_all()  # as in a new request: nothing loaded yet but the user
        user = db.session.get(User, admin_id)
        assert user.role == Role.ADMIN
        with query_counter() as count:
            build_board(user, BoardFilters(lanes=lanes), on=ON)
        return count.value

    assert count_for(3) == count_for(57)


def test_with_many_lanes_each_cell_shows_fewer_cards():
    assert boards._cell_cap(BoardFilters(), 6) == boards.CELL_CAP
    assert boards._cell_cap(BoardFilters(lanes="mentor"), 30) == boards.LANE_CELL_CAP
    assert boards._cell_cap(BoardFilters(lanes="mentor"), 78) == boards.CARD_BUDGET // 78
    assert boards._cell_cap(BoardFilters(lanes="mentor"), 10_000) == boards.MIN_CELL_CAP
    assert boards._cell_cap(BoardFilters(stage_id=3), 1) == boards.STAGE_CAP


def test_control_characters_are_removed_from_a_move_note(db, mentor, territory, stages, make_project):
    # PostgreSQL refuses a NUL byte in text: a service called by an import or the demo must never send one.
    project = make_project(territory, mentors=[mentor])
    change = move_from(mentor, project, stages[1], note="Clients\x00 trouvés", from_stage_id=None)
    db.session.commit()
    assert change.note == "Clients trouvés"
