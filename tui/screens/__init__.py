"""gloss screens and dialogs."""
