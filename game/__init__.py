"""The Thaw: a terminal interactive-fiction game set in the USSR, 1953-1961."""

__version__ = "0.1.0"
