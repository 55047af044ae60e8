"""Web search in the default browser."""
