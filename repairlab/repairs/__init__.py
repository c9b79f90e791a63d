"""Repairs: repair events, tickets in the Open Repair Data Standard, the talents' work and the impact."""
