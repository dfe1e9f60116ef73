"""One module per kind of record, each with a `Step` that has a forward and an archive pass."""
