"""One module per route; each page's state lives next to its UI."""
