"""Countdown timers that notify when done and survive a restart."""
