"""The ``assistant`` command: one module per sub-command."""
