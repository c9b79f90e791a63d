"""Reservations: an item reserved for a range of days, for a talent or a lab event."""
