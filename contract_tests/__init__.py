"""The contract suite: the same cases against the in-process mock, a shared sandbox or the real service."""
