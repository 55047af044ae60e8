"""Alarms at a clock time, optionally on a given day; persisted across restarts."""
