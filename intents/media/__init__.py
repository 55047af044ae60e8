"""Plays music and controls the desktop media player."""
