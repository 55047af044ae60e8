"""Speech: microphone capture, offline recognition (Vosk, PocketSphinx) and grammars from plugins."""
