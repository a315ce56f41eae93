"""Benchmarks that print figures (`crosscheck bench ...`): kept apart from the engine package.

- `matching`: how matching scales with the size of a claim base (the index against a full scan)
- `workspaces`: memory with many servers, and how soon an edit made in one process is seen in another
- `hostile`: how quickly hostile import folders are refused, and at what memory cost
"""
