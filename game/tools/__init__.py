"""Writer's tools built over the narrative core (check, playtest, graph, schema)."""
