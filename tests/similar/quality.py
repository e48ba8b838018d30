"""Quality of the similar-decisions ranking on the labelled real letters.

Each labelled item's heading is a query, with that item left out; its top results are
scored against the hand labels (``items.jsonl``), never against what the parser read:

* subcategory precision: share of the top 10 whose gold subcategory is the query's;
* ingredient precision (drug queries): share of the top 10 sharing a gold ingredient;
* recall@10: share of the other items of the query's gold subcategory found in its top 10.

Shares are means over the queries that returned anything (a query with no result has no
precision); how many returned nothing is reported beside them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

LABELLED = Path(__file__).resolve().parents[2].parent / "shared" / "letters" / "dwc-2016-labelled"


@dataclass(frozen=True, slots=True)
class Quality:
    queries: int
    empty: int
    subcategory_precision: float
    drug_queries: int
    ingredient_precision: float
    recall: float
    # Pooled over every result instead of per query (for the report).
    subcategory_pooled: float

    def line(self) -> str:
        return (
            f"{self.queries} queries ({self.empty} without results): top-10 same gold "
            f"subcategory {self.subcategory_precision:.1%} (pooled {self.subcategory_pooled:.1%}); "
            f"{self.drug_queries} drug queries: same ingredient {self.ingredient_precision:.1%}; "
            f"recall@10 of same-subcategory items {self.recall:.1%}"
        )


def load_labelled() -> None:
    from ingest.loader import ingest_bytes

    for path in sorted(LABELLED.glob("*.pdf")):
        ingest_bytes(path.name, path.read_bytes())


def gold_labels() -> dict[tuple[str, int], dict]:
    lines = (LABELLED / "items.jsonl").read_text().splitlines()
    return {(d["case_number"], d["index"]): d for d in map(json.loads, lines) if d}


def measure(rank=None) -> Quality:
    """``rank(item) -> list of result item ids``; by default the page's own ranking."""
    from determinations.models import DisputedItem
    from similar.matching import RESULTS, match, ranked
    from similar.request import understand

    def default_rank(item):
        found = ranked(match(understand(item.heading)), exclude=item.pk)
        return list(found.values_list("pk", flat=True)[:RESULTS])

    rank = rank or default_rank
    gold = gold_labels()
    items = list(DisputedItem.objects.select_related("determination"))
    label = {i.pk: gold[(i.determination.case_number, i.order)] for i in items}
    by_sub: dict[str, set[int]] = {}
    for pk, g in label.items():
        by_sub.setdefault(g["subcategory"], set()).add(pk)
    sub_p, drug_p, recall, pooled = [], [], [], []
    empty = 0
    for item in items:
        g = label[item.pk]
        results = rank(item)
        same = by_sub[g["subcategory"]] - {item.pk}
        if same:
            recall.append(len(same & set(results)) / min(len(same), 10))
        if not results:
            empty += 1
            continue
        hits = [label[r]["subcategory"] == g["subcategory"] for r in results]
        sub_p.append(mean(hits))
        pooled += hits
        if g["drugs"] and g["category"] == "Pharmaceuticals":
            drugs = set(g["drugs"])
            drug_p.append(mean(bool(drugs & set(label[r]["drugs"])) for r in results))
    return Quality(
        queries=len(items),
        empty=empty,
        subcategory_precision=mean(sub_p) if sub_p else 0.0,
        drug_queries=len(drug_p),
        ingredient_precision=mean(drug_p) if drug_p else 0.0,
        recall=mean(recall) if recall else 0.0,
        subcategory_pooled=mean(pooled) if pooled else 0.0,
    )
