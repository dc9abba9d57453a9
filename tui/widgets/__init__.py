"""gloss widgets: document list, reader, sidebar."""
