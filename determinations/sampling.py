"""The 1-in-SAMPLE_RATE sample of letters that large result sets' facet counts are
estimated from (see DisputedItemQuerySet.facet_counts and models.SampleItem).

Letters fall into SAMPLE_RATE buckets by a hash of their file; bucket 0 is the sample. A
hash of the letter, so all items of a letter share it ("letters" counts stay estimable),
and it never changes. ``SAMPLE_SQL`` is the same computation in SQL, used by the loader
and the refresh (determinations.columns).
"""

from __future__ import annotations

SAMPLE_RATE = 32

# The first 32 bits of the SHA-256 (hex), modulo SAMPLE_RATE; ``{sha256}`` is the column.
SAMPLE_SQL = f"('x' || substr({{sha256}}, 1, 8))::bit(32)::bigint % {SAMPLE_RATE}"


def sample_of(sha256: str) -> int:
    """The sample bucket of a letter, 0..SAMPLE_RATE-1 (as ``SAMPLE_SQL`` computes it)."""
    return int(sha256[:8], 16) % SAMPLE_RATE
