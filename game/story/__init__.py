"""The narrative core: story model, condition language, loader and engine.

Nothing in this package imports Textual or touches the terminal, so the same core runs under the
Textual UI, the plain front end, the writer's tools and the tests.
"""
