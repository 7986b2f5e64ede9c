"""Accuracy and speed of the detector on the project's labelled corpus, Presidio in the same run.

Run: .venv/bin/python benchmarks/detection.py [--documents N] [--tables N] [--presidio-fields N]

Prints per-type precision/recall/F1, macro-F1, F0.5, the false-positive rate on hard
distractors and fields/s on one core for dsensor's Detector in this process and through the
detection-tool service in a process of its own (its CPU from /proc, the client's apart), then
the same for Presidio's pattern recognizers (blank spaCy pipeline: no NER model can be
downloaded here) on the first N fields of the same corpus, each value with its key's words as
Presidio context.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.procstat import cpu_seconds
from detection_tool import Detector
from detection_tool.training.corpus import CorpusGenerator, Sample
from detection_tool.training.evaluate import Scores
from detection_tool.training.tables import table_samples
from sensor_core.compiled import is_compiled
from sensor_core.jsonpaths import ROOT, child_path, index_path
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings
from tests.harness.interpreted import run_from_sources
from tests.harness.ports import free_port

# Presidio entity -> dsensor type (only where the meaning is the same)
PRESIDIO_TYPES = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone_number",
    "CREDIT_CARD": "credit_card_number",
    "IBAN_CODE": "iban",
    "IP_ADDRESS": "ip_address",
    "US_SSN": "us_ssn",
    "US_ITIN": "us_itin",
    "US_PASSPORT": "passport_number",
    "US_DRIVER_LICENSE": "drivers_license",
    "US_BANK_NUMBER": "bank_account_number",
    "UK_NHS": "uk_nhs_number",
    "UK_NINO": "uk_nino",
    "ES_NIF": "es_dni",
    "ES_NIE": "es_nie",
    "IT_FISCAL_CODE": "it_codice_fiscale",
    "IN_AADHAAR": "in_aadhaar",
    "PL_PESEL": "pl_pesel",
    "MEDICAL_LICENSE": "us_dea_number",
    "DATE_TIME": "date_of_birth",
}

Field = tuple[str, str, object, set[str], bool]  # path, key, value, labels, distractor


def leaves(sample: Sample) -> Iterator[Field]:
    def walk(node: object, path: str, key: str) -> Iterator[Field]:
        if isinstance(node, dict):
            for k, child in node.items():
                yield from walk(child, child_path(path, k), k)
        elif isinstance(node, list):
            for i, child in enumerate(node):
                yield from walk(child, index_path(path, i), key)
        else:
            yield path, key, node, set(), False

    for path, key, value, _, _ in walk(sample.doc, ROOT, ""):
        labels = sample.labels.get(path, set())
        yield path, key, value, labels, path in sample.distractor_paths


class Clock:
    """Wall time and this process's CPU time (all threads): fields per CPU-second is the
    per-core figure, and it holds up when other processes share the machine."""

    def __enter__(self) -> Clock:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def rates(self, count: int) -> str:
        return (
            f"{count / self.cpu:,.0f} fields per CPU-second (per core), "
            f"{count / self.wall:,.0f} fields/s wall"
        )


def score_detector(detector: Detector, samples: list[Sample]) -> tuple[Scores, Clock]:
    """Scores and time of one pass over `samples`, after a first document warms the caches."""
    detector.detect_document(samples[0].doc)
    scores = Scores()
    with Clock() as clock:
        results = [detector.detect_document(s.doc) for s in samples]
    for sample, result in zip(samples, results, strict=True):
        for path, _, _, labels, distractor in leaves(sample):
            predicted = [f.type_id for f in result.get(path, [])]
            scores.add(labels, predicted, distractor=distractor)
    return scores, clock


def in_process_rate(documents: int, seed: int) -> str:
    """The in-process speed on a fresh corpus of `documents`, as `main` measures it."""
    generator = CorpusGenerator(seed)
    samples = [generator.document() for _ in range(documents)]
    scores, clock = score_detector(Detector(), samples)
    return f"{clock.rates(scores.fields)}; macro-F1={scores.macro():.3f}"


def plain_python_rate(documents: int, seed: int) -> str:
    """`in_process_rate` of the plain-Python build (compiled modules run from their sources),
    in a process of its own."""
    code = (
        "import sys\n"
        "from benchmarks.detection import in_process_rate\n"
        "print(in_process_rate(int(sys.argv[1]), int(sys.argv[2])))\n"
    )
    return run_from_sources(code, [str(documents), str(seed)], timeout=3600)[-1]


def presidio_analyzer() -> Callable[[str, list[str]], set[str]]:
    """Presidio's predefined pattern recognizers over a blank spaCy pipeline (offline)."""
    import logging

    import spacy
    import tldextract
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import SpacyNlpEngine

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    # tldextract would fetch the public suffix list; its bundled snapshot is used instead
    offline = tldextract.TLDExtract(suffix_list_urls=())
    tldextract.extract = offline  # type: ignore[assignment]
    import presidio_analyzer.predefined_recognizers as predefined

    for module in vars(predefined).values():
        if hasattr(module, "tldextract"):
            module.tldextract.extract = offline

    class BlankSpacy(SpacyNlpEngine):
        def load(self) -> None:
            self.nlp = {"en": spacy.blank("en")}  # type: ignore[assignment]

    engine = BlankSpacy(models=[{"lang_code": "en", "model_name": "blank"}])
    engine.load()
    registry = RecognizerRegistry()
    registry.load_predefined_recognizers(nlp_engine=engine)
    analyzer = AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=["en"])

    def analyze(text: str, context: list[str]) -> set[str]:
        found = analyzer.analyze(text=text, language="en", context=context)
        return {PRESIDIO_TYPES[r.entity_type] for r in found if r.entity_type in PRESIDIO_TYPES}

    return analyze


def score_presidio(samples: list[Sample], limit: int) -> tuple[Scores, Clock]:
    analyze = presidio_analyzer()
    fields = [f for s in samples for f in leaves(s)][:limit]
    scores = Scores()
    predictions: list[set[str]] = []
    with Clock() as clock:
        for _, key, value, _, _ in fields:
            if value is None or isinstance(value, bool):
                predictions.append(set())
                continue
            words = [w.lower() for w in key.replace("-", "_").split("_") if w]
            predictions.append(analyze(str(value), words))
    for (_, _, _, labels, distractor), predicted in zip(fields, predictions, strict=True):
        scores.add(labels, predicted, distractor=distractor)
    return scores, clock


@dataclass
class ServiceRun:
    fields: int
    client: Clock  # this process: building requests, reading answers
    service_cpu: float  # the detection-tool process, over the same calls


def score_service(samples: list[Sample], batch: int) -> ServiceRun:
    """Fields/s through a detection-tool service in its own process (`dsensor detection-tool`
    on loopback), `batch` documents a call: its CPU seconds from /proc, ours separately."""
    import grpc

    from detection_tool.client import RemoteDetector

    port = free_port()
    env = os.environ | {
        "SVRN_DETECTION_TOOL_GRPC_HOST": "127.0.0.1",
        "SVRN_DETECTION_TOOL_GRPC_PORT": str(port),
        "SVRN_DETECTION_TOOL_HTTP_HOST": "127.0.0.1",
        "SVRN_DETECTION_TOOL_HTTP_PORT": str(free_port()),
        "SVRN_DETECTION_TOOL_LOGGING_LEVEL": "warning",
    }
    command = [sys.executable, "-c", "from sensor_core.cli import main; main()", "detection-tool"]
    service = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    docs = [json.dumps(s.doc).encode() for s in samples]
    fields = sum(1 for s in samples for _ in leaves(s))
    try:
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            grpc.channel_ready_future(channel).result(timeout=60)
        with RemoteDetector(f"127.0.0.1:{port}", timeout=60.0) as remote:
            remote.detect_json_batch(docs[:1])
            cpu_before = cpu_seconds(service.pid)
            with Clock() as clock:
                for i in range(0, len(docs), batch):
                    remote.detect_json_batch(docs[i : i + batch])
            service_cpu = cpu_seconds(service.pid) - cpu_before
    finally:
        service.terminate()
        service.wait(30)
    return ServiceRun(fields, clock, service_cpu)


def report(name: str, scores: Scores, speed: str, detail: bool) -> None:
    micro_p, micro_r, _ = scores.micro()
    covered = set(PRESIDIO_TYPES.values())
    print(f"== {name}")
    if detail:
        for t, (p, r, f1) in scores.per_type().items():
            print(f"  {t:34s} P={p:.3f} R={r:.3f} F1={f1:.3f}")
    print(
        f"  {name}: macro-F1={scores.macro():.3f} macro-F0.5={scores.macro(beta=0.5):.3f} "
        f"macro-F1(presidio types)={scores.macro(covered):.3f} micro P={micro_p:.3f} "
        f"R={micro_r:.3f} distractor FP rate={scores.distractor_rate:.2%} "
        f"({scores.distractors_flagged}/{scores.distractors}) fields={scores.fields} "
        f"speed: {speed}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=3000)
    parser.add_argument("--tables", type=int, default=200)
    parser.add_argument("--presidio-fields", type=int, default=3000)
    parser.add_argument("--batch", type=int, default=100, help="documents per gRPC call")
    parser.add_argument("--seed", type=int, default=20241122)
    parser.add_argument("--quiet", action="store_true", help="no per-type rows")
    args = parser.parse_args()
    configure_logging(LoggingSettings(level="warning"))
    build = "compiled (mypyc)" if is_compiled("detection_tool.analysis") else "plain Python"
    print(f"detector build: {build}")
    generator = CorpusGenerator(args.seed)
    samples = [generator.document() for _ in range(args.documents)]
    detector = Detector()
    scores, clock = score_detector(detector, samples)
    report("dsensor documents", scores, clock.rates(scores.fields), not args.quiet)
    if build != "plain Python":
        print(f"  the same, plain-Python build: {plain_python_rate(args.documents, args.seed)}")
    run = score_service(samples, args.batch)
    both = run.service_cpu + run.client.cpu
    print(
        f"== dsensor gRPC service in its own process, batches of {args.batch} documents: "
        f"service {run.fields / max(run.service_cpu, 1e-9):,.0f} fields per CPU-second "
        f"(per core); client {run.fields / max(run.client.cpu, 1e-9):,.0f}; service and "
        f"client together {run.fields / max(both, 1e-9):,.0f}; "
        f"{run.fields / max(run.client.wall, 1e-9):,.0f} fields/s wall"
    )
    table_scores = Scores()
    tables = list(table_samples(random.Random(args.seed), generator, args.tables))
    with Clock() as table_clock:
        results = [detector.detect_records(rows) for _, rows in tables]
    values = sum(len(rows) * len(columns) for columns, rows in tables)
    for (columns, _), result in zip(tables, results, strict=True):
        for path, labels, distractor in columns:
            predicted = [f.type_id for f in result.get(path, [])]
            table_scores.add(labels, predicted, distractor=distractor)
    # speed here counts record values (cells), not columns
    report("dsensor record sets (columns)", table_scores, table_clock.rates(values), False)
    if args.presidio_fields > 0:
        try:
            p_scores, p_clock = score_presidio(samples, args.presidio_fields)
        except ImportError as exc:
            print(f"== presidio: not run ({exc}); pip install presidio-analyzer spacy")
        else:
            name = "presidio patterns (blank spaCy, no NER model)"
            report(name, p_scores, p_clock.rates(p_scores.fields), False)


if __name__ == "__main__":
    main()
