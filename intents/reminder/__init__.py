"""Reminders for a task at a time, on a day, or after a delay; notifies when due."""
