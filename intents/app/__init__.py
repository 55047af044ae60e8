"""Launches desktop applications by name."""
