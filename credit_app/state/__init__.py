"""Reflex states: thin layers over the services holding only what the user may see."""
