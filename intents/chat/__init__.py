"""Small talk: greetings, thanks and goodbyes."""
