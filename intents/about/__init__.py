"""What the assistant can do, and how fast and efficiently it runs."""
