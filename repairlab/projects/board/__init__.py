"""The mentors' board: one column per active stage, a card per project; moving a project from a card."""
