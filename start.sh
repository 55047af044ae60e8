#!/usr/bin/env bash
# Set up (first run) and start the assistant: the window when there is a display, the terminal chat otherwise.
# Any arguments go to the `assistant` command, e.g. ./start.sh ask "what time is it"
source "$(dirname "$0")/scripts/bootstrap.sh"
bootstrap run
exec "$VENV/bin/assistant" "$@"
