"""The game's screens. Each is imported when it is first shown, which keeps start-up fast."""
