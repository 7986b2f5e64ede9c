"""The detector on hand-written payloads shaped like public APIs, independent of its generator.

    python benchmarks/api_payloads.py [--list] [--data FILE]

`benchmarks/data/api_payloads.jsonl` (the default `--data`): one line per payload, `{"source",
"doc", "labels": {path: type id}}`, imitating documented shapes (Stripe, GitHub, Shopify, Twilio,
FHIR, Salesforce, Okta, Plaid, Adyen, Kubernetes, and customer records in several languages with
checksummed national ids). It was labelled without looking at the detector or its corpus
generator; unlabelled leaves are look-alikes. `benchmarks/data/api_payloads_holdout.jsonl` is a
second set in the same format, written later by someone who had not seen the detector, and
measured before any change was made for it (BENCHMARKS.md gives both figures). A path counts as
typed T when T is its best finding. Prints per-type and macro-F1, micro precision/recall and the
share of unlabelled fields flagged; `--list` adds every miss and false positive with the value's
masked shape (never the value).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "proto")]

from detection_tool import Detector  # noqa: E402
from detection_tool.training.evaluate import Scores  # noqa: E402
from sensor_core.jsonpaths import ROOT as PATH_ROOT  # noqa: E402
from sensor_core.jsonpaths import child_path, index_path  # noqa: E402
from sensor_core.masking import masked_shape  # noqa: E402

DATA = ROOT / "benchmarks" / "data" / "api_payloads.jsonl"


def leaves(
    node: object, path: str = PATH_ROOT, written: str = PATH_ROOT
) -> Iterator[tuple[str, str, object]]:
    """(path as the detector reports it, path as the labels write it, value) of every leaf.

    The two differ where the detector writes a member name that looks like data as `*`
    (`$.emv.5A` is reported as `$.emv.*`).
    """
    if isinstance(node, dict):
        for key, child in node.items():
            yield from leaves(child, child_path(path, key), f"{written}.{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from leaves(child, index_path(path, index), index_path(written, index))
    else:
        yield path, written, node


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--list", action="store_true", help="every miss and false positive")
    parser.add_argument("--data", type=Path, default=DATA, help="labelled payloads (JSON lines)")
    args = parser.parse_args()
    text = args.data.read_text("utf-8")
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    detector = Detector()
    scores = Scores()
    misses: list[str] = []
    false_positives: list[str] = []
    for index, record in enumerate(records):
        labels: dict[str, str] = record["labels"]
        found = detector.detect_document(record["doc"])
        best = {path: findings[0].type_id for path, findings in found.items() if findings}
        for path, written, value in leaves(record["doc"]):
            expected = labels.get(written)
            got = best.get(path)
            scores.add({expected} if expected else set(), [got] if got else [],
                       distractor=expected is None)  # fmt: skip
            where = f"#{index} {record['source']} {path}"
            if expected and got != expected:
                misses.append(f"{where}: {expected} -> {got or '-'}")
            elif not expected and got:
                false_positives.append(f"{where}: {got} ({masked_shape(value) or 'non-text'})")
    for type_id, (p, r, f) in scores.per_type().items():
        print(f"  {type_id:34} P={p:.3f} R={r:.3f} F1={f:.3f}")
    p, r, f = scores.micro()
    print(
        f"API payloads ({args.data.name}): {len(records)} documents,"
        f" {scores.fields - scores.distractors} labelled fields:"
        f" macro-F1={scores.macro():.3f} over {len(scores.per_type())} types;"
        f" micro P={p:.3f} R={r:.3f} F1={f:.3f}; unlabelled fields flagged"
        f" {scores.distractor_rate:.2%} ({scores.distractors_flagged}/{scores.distractors})"
    )
    if args.list:
        print(f"misses ({len(misses)}):", *misses, sep="\n  ")
        print(f"false positives ({len(false_positives)}):", *false_positives, sep="\n  ")


if __name__ == "__main__":
    main()
