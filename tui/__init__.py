"""gloss terminal app and command line (Textual). Imports from ``annotations``."""
