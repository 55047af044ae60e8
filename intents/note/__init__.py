"""Quick notes saved to local storage and read back on request."""
