"""Questionnaires the talents answer at moments of their path (the programme's participatory evaluation), their
progress shown back to them, and the mentors' observations at the same moments."""
