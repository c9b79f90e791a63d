"""Maintenance of items: a log of what was done, plans with due dates, the desk's list of what is due."""
