"""Current time here or anywhere in the world, and today's date or the date of a relative day."""
