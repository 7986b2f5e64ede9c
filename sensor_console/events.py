"""Events raised while a batch is stored: new data type, new receiver or sender, policy and
third-party violations, discovery complete.

Each event has a dedupe key, so one situation raises one event however often it is reported.
Titles and details name assets, endpoints, field paths and type ids — never a value.
Suppressed findings (false positives) raise nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass

from dsensor.v1 import metadata_pb2, stats_pb2

from sensor_console.db import Connection
from sensor_console.policy_model import PolicyRule, PolicySettings
from sensor_console.registry import Suppression
from sensor_console.rows import category_label, sensitivity_label

KINDS = (
    "new_data_type",
    "new_receiver",
    "new_sender",
    "policy_violation",
    "third_party_violation",
    "discovery_complete",
)


@dataclass(frozen=True)
class Finding:
    type_id: str
    category: str
    sensitivity: str
    path: str


def asset_label(asset: metadata_pb2.Asset) -> str:
    name = asset.name or "unknown"
    return f"{asset.namespace}/{name}" if asset.namespace else name


def endpoint_label(ep: metadata_pb2.Endpoint) -> str:
    return f"{ep.method} {ep.host} {ep.path_template}"


def data_asset_label(asset: metadata_pb2.DataAssetMetadata) -> str:
    return f"{asset.source}/{asset.instance}/{asset.asset}"


class EventWriter:
    """Raises the events of one batch inside the store's write transaction."""

    def __init__(
        self,
        conn: Connection,
        policies: PolicySettings,
        suppressed: list[Suppression],
        now: int,
        known: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        self._known = known  # dedupe keys already stored (a cache: skips the INSERT)
        self.keys: set[str] = set()  # dedupe keys this batch stored or met
        self._conn = conn
        self._policies = policies
        self._suppressed = suppressed
        self._now = now
        self.raised = 0

    def _raise(self, kind: str, key: str, severity: str, title: str, **details: object) -> None:
        dedupe = f"{kind}:{key}"
        if dedupe in self._known or dedupe in self.keys:
            return
        self.keys.add(dedupe)
        cur = self._conn.execute(
            "INSERT INTO events (kind, created_at, severity, title, details, dedupe_key)"
            " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
            (kind, self._now, severity, title[:500], json.dumps(details), dedupe),
        )
        self.raised += cur.rowcount

    def _findings(
        self, fields: Iterable[metadata_pb2.Field], assets: tuple[str, ...], endpoint: str
    ) -> list[Finding]:
        found = []
        for field in fields:
            for t in field.data_types:
                if any(
                    s.covers(t.type_id, a, endpoint, field.path)
                    for s in self._suppressed
                    for a in assets
                ):
                    continue
                found.append(
                    Finding(
                        t.type_id,
                        category_label(t.category),
                        sensitivity_label(t.sensitivity),
                        field.path,
                    )
                )
        return found

    def _new_types(self, findings: list[Finding], where: str) -> None:
        for f in findings:
            self._raise(
                "new_data_type",
                f.type_id,
                f.sensitivity,
                f"New data type {f.type_id} ({f.category}, {f.sensitivity}) in {where}",
                type_id=f.type_id,
                where=where,
                path=f.path,
            )

    def _check_rules(
        self,
        action: str,
        findings: list[Finding],
        asset: tuple[str, ...],
        counterpart: tuple[str, ...] | None,
        counterpart_external: bool,
        where: str,
    ) -> None:
        for rule in self._policies.rules:
            if rule.action != action or not self._applies(rule, asset, counterpart):
                continue
            if rule.thirdparty and not counterpart_external:
                continue
            kind = "third_party_violation" if rule.thirdparty else "policy_violation"
            for f in findings:
                if not rule.forbids(f.type_id, f.category, f.sensitivity):
                    continue
                other = f" to/from {counterpart[0]}" if counterpart else ""
                self._raise(
                    kind,
                    f"{rule.name}|{asset[0]}|{other}|{where}|{f.type_id}|{f.path}",
                    "high",
                    f"{rule.name}: {asset[0]} may not {action} {f.type_id}{other} ({where})",
                    rule=rule.name,
                    asset=asset[0],
                    counterpart=counterpart[0] if counterpart else "",
                    where=where,
                    type_id=f.type_id,
                    path=f.path,
                )

    def _applies(
        self, rule: PolicyRule, asset: tuple[str, ...], counterpart: tuple[str, ...] | None
    ) -> bool:
        p = self._policies
        if not p.matches(rule.assets, asset) or p.matches(rule.exceptassets, asset):
            return False
        if counterpart is None:
            return True
        return p.matches(rule.counterparts, counterpart) and not p.matches(
            rule.exceptcounterparts, counterpart
        )

    def flow(self, flow: metadata_pb2.FlowMetadata) -> None:
        src, dst = flow.source, flow.destination
        src_names = (asset_label(src), src.name)
        dst_names = (asset_label(dst), dst.name)
        ep = endpoint_label(flow.endpoint)
        both = (src_names[0], dst_names[0])
        request = self._findings(flow.request.fields, both, ep)
        response = self._findings(flow.response.fields, both, ep)
        self._new_types(request + response, ep)
        dst_ext = dst.external or dst.kind == metadata_pb2.ASSET_KIND_EXTERNAL
        src_ext = src.external or src.kind == metadata_pb2.ASSET_KIND_EXTERNAL
        for findings, receiver, sender, ext, kind in (
            (request, dst_names[0], src_names[0], dst_ext, "new_receiver"),
            (response, src_names[0], dst_names[0], src_ext, "new_sender"),
        ):
            if not findings:
                continue
            types = sorted({f.type_id for f in findings})
            actor = receiver if kind == "new_receiver" else sender
            where = "external" if (ext if kind == "new_receiver" else dst_ext) else "internal"
            verb = "receives" if kind == "new_receiver" else "sends"
            other = sender if kind == "new_receiver" else receiver
            self._raise(
                kind,
                f"{sender}->{receiver}",
                max((f.sensitivity for f in findings), key=_rank),
                f"New {where} {kind[4:]}: {actor} {verb} {', '.join(types)}"
                f" {'from' if verb == 'receives' else 'to'} {other}",
                sender=sender,
                receiver=receiver,
                external=where == "external",
                type_ids=types,
            )
        self._check_rules("send", request, src_names, dst_names, dst_ext, ep)
        self._check_rules("receive", request, dst_names, src_names, src_ext, ep)
        self._check_rules("send", response, dst_names, src_names, src_ext, ep)
        self._check_rules("receive", response, src_names, dst_names, dst_ext, ep)

    def data_asset(self, asset: metadata_pb2.DataAssetMetadata) -> None:
        label = data_asset_label(asset)
        findings = self._findings(asset.fields, (label,), "")
        self._new_types(findings, label)
        self._check_rules("store", findings, (label, asset.asset), None, False, label)

    def discovery(self, req: stats_pb2.PushBatchRequest) -> None:
        self._raise(
            "discovery_complete",
            req.sensor_id,
            "low",
            f"First discovery from sensor {req.sensor_id} ({req.cluster_name or 'no cluster'}):"
            f" {len(req.flows)} flows, {len(req.assets)} data assets",
            sensor_id=req.sensor_id,
            cluster=req.cluster_name,
        )


def _rank(sensitivity: str) -> int:
    return {"low": 1, "medium": 2, "high": 3}.get(sensitivity, 0)
