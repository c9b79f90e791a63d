"""Repair events: the list, planning an event with the people on duty, the event's page."""
