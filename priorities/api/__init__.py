"""The priorities part of PACT's own read API: priorities with their progress, events, monthly updates."""
