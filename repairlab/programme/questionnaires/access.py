"""Who may do what with questionnaires: one place for the rules, checked by the services and the views.

A talent answers their own questionnaires and sees their own answers and scores. Staff who follow the talent's path
(mentors and lab managers of the territory, admins) may fill a questionnaire in with the talent (the answers then
record that they were assisted) and see whether one was answered, never what. Only admins see a talent's answers;
researchers see them only pseudonymised, in the research exports. Admins and researchers define questionnaires.
"""

from __future__ import annotations

from repairlab.people.models import Role, User
from repairlab.programme.access import is_path_staff

# Who writes and publishes questionnaires: the programme team and the researchers.
DEFINERS = frozenset({Role.ADMIN, Role.RESEARCHER})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.active)


def is_talent(user: User) -> bool:
    """A talent's own active account (questionnaires are asked of talents only)."""
    return _active(user) and user.role == Role.PARTICIPANT and user.erased_at is None


def can_define(user: User) -> bool:
    """Write questionnaires, their versions, scales, items and moments; publish them."""
    return _active(user) and user.role in DEFINERS


def answers_as_self(user: User, talent: User) -> bool:
    """The talent answering their own questionnaire."""
    return is_talent(user) and user.id == talent.id


def can_assist(user: User, talent: User) -> bool:
    """Staff following the talent's path (their territory; admins everywhere) fill a questionnaire in with them."""
    return talent.role == Role.PARTICIPANT and talent.erased_at is None and is_path_staff(user, talent.territory_id)


def can_answer_for(user: User, talent: User) -> bool:
    """Answer (or postpone, or decline) a questionnaire of this talent: the talent, or staff assisting them."""
    return answers_as_self(user, talent) or can_assist(user, talent)


def can_see_status(user: User, talent: User) -> bool:
    """See whether the talent's questionnaires were answered (not what): the talent and the staff of their path."""
    return answers_as_self(user, talent) or (
        talent.role == Role.PARTICIPANT and is_path_staff(user, talent.territory_id)
    )


def can_see_answers(user: User, talent: User) -> bool:
    """See a talent's answers and scores: the talent themselves, and admins. Never mentors or lab managers."""
    return answers_as_self(user, talent) or (_active(user) and user.role == Role.ADMIN)


def can_observe(user: User, talent: User) -> bool:
    """Record an observation of a talent: staff following their path (mentors, lab managers, admins)."""
    return talent.role == Role.PARTICIPANT and talent.erased_at is None and is_path_staff(user, talent.territory_id)


def can_see_observations(user: User, talent: User) -> bool:
    """See the observations made of a talent: the staff of their path (the talent has them in their data)."""
    return talent.role == Role.PARTICIPANT and is_path_staff(user, talent.territory_id)


def can_withdraw_consent(user: User, talent: User) -> bool:
    """Record that the talent withdraws their consent to the evaluation: the talent, or the staff of their path
    (who record it when the talent asks them)."""
    return answers_as_self(user, talent) or (
        talent.role == Role.PARTICIPANT and talent.erased_at is None and is_path_staff(user, talent.territory_id)
    )
