"""Regenerate every figure of the gallery (docs/gallery/*.png) and the numbers each is drawn from
(docs/gallery/numbers.json): python examples/make_gallery.py [--out DIR]

tests/test_examples.py redraws every figure and fails when its numbers no longer match numbers.json
(a committed PNG that is stale), or when a figure would print text below 7 pt or an axis without a label.
"""

import json
from pathlib import Path

from _common import args

from gantheory.figures import FIGURES, legibility, numbers

a = args(__doc__)
record = {}
for name, draw in FIGURES.items():
    res = draw(Path(a.out) / f"{name}.png")
    problems = legibility(res["figure"])
    if problems:
        raise SystemExit(f"{name}: " + "; ".join(problems))
    record[name] = numbers(res)
    print(res["path"])
(Path(a.out) / "numbers.json").write_text(json.dumps(record, indent=1, sort_keys=True) + "\n")
print(Path(a.out) / "numbers.json")
