"""Unit conversion for length, mass, volume, temperature, speed, time and data sizes."""
