"""Built-in plugins. Each sub-package is a plugin, registered as an ``assistant.plugins`` entry point."""
