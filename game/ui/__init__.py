"""The Textual game. `game.ui.app.create_app` builds it for the CLI and for the tests."""
