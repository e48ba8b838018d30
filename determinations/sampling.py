"""The samples of letters that large result sets' facet counts are estimated from (see
DisputedItemQuerySet.facet_counts, models.SampleItem and models.SparseSampleItem).

Letters fall into SAMPLE_RATE buckets by a hash of their file; bucket 0 is the sample. A
hash of the letter, so all items of a letter share it ("letters" counts stay estimable),
and it never changes. ``SAMPLE_SQL`` is the same computation in SQL, used by the loader
and the refresh (determinations.columns).

The sample's cost grows with the corpus: at 1,000,000 letters one letter in 32 is 72,000
items to read for a common word, five times the 200,000-letter corpus's. So a sparser
sample, one letter in SPARSE_RATE (the letters whose same hash is 0 modulo SPARSE_RATE, a
quarter of the sample), is kept too, and the list reads it once the dense sample holds
more than DENSE_SAMPLE_MAX_ITEMS items: the rows read stay between ~9,000 and ~36,000
items from 500,000 letters to 2,000,000.
"""

from __future__ import annotations

SAMPLE_RATE = 32
SPARSE_RATE = 128

# Above this many items in the dense sample (about 500,000 letters), the sparse one is read.
DENSE_SAMPLE_MAX_ITEMS = 36_000

# The first 32 bits of the SHA-256 (hex) as a number; ``{sha256}`` is the column.
_HASH_SQL = "('x' || substr({sha256}, 1, 8))::bit(32)::bigint"
# The sample bucket, modulo SAMPLE_RATE.
SAMPLE_SQL = f"{_HASH_SQL} % {SAMPLE_RATE}"
# True for a letter of the sparse sample (always one of the dense sample's: 128 = 4 x 32).
SPARSE_SQL = f"{_HASH_SQL} % {SPARSE_RATE} = 0"


def sample_of(sha256: str) -> int:
    """The sample bucket of a letter, 0..SAMPLE_RATE-1 (as ``SAMPLE_SQL`` computes it)."""
    return int(sha256[:8], 16) % SAMPLE_RATE


def in_sparse_sample(sha256: str) -> bool:
    """Whether a letter is in the sparse sample (as ``SPARSE_SQL`` computes it)."""
    return int(sha256[:8], 16) % SPARSE_RATE == 0


def rate_for(dense_items: float) -> int:
    """The sample rate to read when the dense sample holds about ``dense_items`` items."""
    return SPARSE_RATE if dense_items > DENSE_SAMPLE_MAX_ITEMS else SAMPLE_RATE
