"""The game's widgets: scene header, prose, choices, status panel, timeline."""
