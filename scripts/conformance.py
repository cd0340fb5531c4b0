#!/usr/bin/env python3
"""Helper for scripts/conformance.sh: schema preparation, output parsing,
exception matching and the final report.

Subcommands (all called by conformance.sh, not meant to be used directly):

  schema-versions PKGDIR
      Print the Kubernetes versions (X.Y.Z) for which the installed
      kubernetes-validate package ships "-local-strict" JSON schemas, oldest
      first.

  prepare-schemas SRC DST
      Copy the kubernetes-validate strict schemas in SRC into DST so that
      kubeconform can use them offline. The shipped files carry
      "$id": "https://kubernetes.io/api/..." and "$ref": "/api/_definitions.json#..."
      which a JSON-schema loader resolves to an https URL. We drop every "$id"
      and turn the references into the relative "_definitions.json#...", so all
      references resolve to files next to the schema and nothing is fetched.

  crd-schemas DST FILE...
      Write a strict JSON schema for every served version of every
      CustomResourceDefinition in the YAML FILEs (the CRDs pinned in
      scripts/crds.txt) to DST/<group>/<kind>_<version>.json, the layout
      kubeconform's {{ .Group }}/{{ .ResourceKind }}_{{ .ResourceAPIVersion }}
      template reads. Strict as the built-in schemas are: an object schema
      with properties and no additionalProperties (and no
      x-kubernetes-preserve-unknown-fields) gets additionalProperties: false,
      and a nullable field also accepts null. Documents that are not CRDs are
      skipped; a run that finds no CRD fails.

  check-exceptions EXCEPTIONS_FILE
      Validate the exceptions file (exit status 2 when invalid).

  report RUNDIR EXCEPTIONS_FILE
      Parse the raw tool outputs that conformance.sh left in RUNDIR, apply the
      exceptions, print every finding and the summary table. Exit status 0 when
      every tool ran and every finding is excepted, 1 otherwise, 2 when the
      exceptions file is invalid.

Only the Python standard library and PyYAML are used.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from pathlib import Path

import yaml

# Tool families an exception's "tool" may name. The kubeconform family covers
# every "kubeconform-<version>" row.
FAMILIES = ("kube-score", "checkov", "kubeconform", "psa-check", "audit-check")


# --------------------------------------------------------------------------
# schemas


def _version_key(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in v.split("."))


def schema_versions(pkgdir: str) -> list[str]:
    root = Path(pkgdir) / "kubernetes-json-schema"
    out = []
    for d in root.iterdir():
        m = re.fullmatch(r"v(\d+\.\d+\.\d+)-local-strict", d.name)
        if m and d.is_dir():
            out.append(m.group(1))
    return sorted(out, key=_version_key)


def _rewrite(node):
    if isinstance(node, dict):
        node.pop("$id", None)
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("/api/_definitions.json#"):
            node["$ref"] = ref[len("/api/"):]
        for v in node.values():
            _rewrite(v)
    elif isinstance(node, list):
        for v in node:
            _rewrite(v)


def prepare_schemas(src: str, dst: str) -> None:
    os.makedirs(dst, exist_ok=True)
    count = 0
    for name in sorted(os.listdir(src)):
        if not name.endswith(".json"):
            continue
        with open(os.path.join(src, name), encoding="utf-8") as fh:
            doc = json.load(fh)
        _rewrite(doc)
        if name == "_definitions.json":
            doc.setdefault("$schema", "https://json-schema.org/draft/2020-12/schema")
        with open(os.path.join(dst, name), "w", encoding="utf-8") as fh:
            json.dump(doc, fh)
        count += 1
    if count == 0:
        raise SystemExit(f"no schema files in {src}")
    # Refuse a result that would still reach out to the network.
    for name in os.listdir(dst):
        with open(os.path.join(dst, name), encoding="utf-8") as fh:
            text = fh.read()
        if '"$id"' in text or '"$ref": "/' in text or '"$ref": "http' in text:
            raise SystemExit(f"schema {name} still has absolute references")


# In a structural CRD schema, anyOf/oneOf/allOf/not branches only constrain values the main schema
# already declares (Cilium's "one of endpointSelector or nodeSelector"); the API server prunes unknown
# fields by the main schema alone. Closing a branch with additionalProperties: false would make every
# branch refuse the fields the others name, so branches stay open.
_COMBINATORS = ("anyOf", "oneOf", "allOf", "not")


def _strict(node, in_combinator=False):
    if isinstance(node, dict):
        if node.get("nullable") is True and isinstance(node.get("type"), str):
            node["type"] = [node["type"], "null"]
        if (not in_combinator and "properties" in node and "additionalProperties" not in node
                and node.get("x-kubernetes-preserve-unknown-fields") is not True):
            node["additionalProperties"] = False
        for k, v in node.items():
            _strict(v, in_combinator or k in _COMBINATORS)
    elif isinstance(node, list):
        for v in node:
            _strict(v, in_combinator)


class _CrdLoader(yaml.SafeLoader):
    """PyYAML implements YAML 1.1, where a bare "=" is the "value" type; Kubernetes reads YAML 1.2,
    where it is the string "=" (Prometheus Operator's CRDs have one in an enum)."""


_CrdLoader.add_constructor("tag:yaml.org,2002:value", lambda loader, node: loader.construct_scalar(node))


def crd_schemas(dst: str, files: list[str]) -> None:
    count = 0
    for path in files:
        with open(path, encoding="utf-8") as fh:
            docs = list(yaml.load_all(fh, Loader=_CrdLoader))
        for doc in docs:
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                continue
            spec = doc["spec"]
            group, kind = spec["group"], spec["names"]["kind"]
            for version in spec.get("versions", []):
                if not version.get("served", False):
                    continue
                schema = json.loads(json.dumps(version["schema"]["openAPIV3Schema"]))
                _strict(schema)
                props = schema.setdefault("properties", {})
                # The API server fills in and checks these itself; the schema pins them.
                props["apiVersion"] = {"type": "string", "enum": [f"{group}/{version['name']}"]}
                props["kind"] = {"type": "string", "enum": [kind]}
                props["metadata"] = {"type": "object"}
                schema["additionalProperties"] = False
                out = os.path.join(dst, group.lower(), f"{kind.lower()}_{version['name']}.json")
                os.makedirs(os.path.dirname(out), exist_ok=True)
                with open(out, "w", encoding="utf-8") as fh:
                    json.dump(schema, fh)
                count += 1
    if count == 0:
        raise SystemExit("no CustomResourceDefinition found")
    print(f"{count} CRD schemas written to {dst}")


# --------------------------------------------------------------------------
# findings


@dataclass
class Finding:
    check: str
    kind: str
    name: str
    namespace: str | None = None
    file: str = ""
    message: str = ""
    excepted_by: dict | None = None

    def objects(self) -> list[str]:
        """Spellings of the object that an exception's glob is matched with."""
        if self.namespace:
            return [f"{self.kind}/{self.namespace}/{self.name}", f"{self.kind}/{self.name}"]
        return [f"{self.kind}/{self.name}", f"{self.kind}/-/{self.name}"]

    def label(self) -> str:
        return self.objects()[0]


@dataclass
class Row:
    name: str
    parser: str
    version: str
    status: str  # ok | install-failed | skipped
    note: str = ""
    rcs: list[int] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def family(self) -> str:
        return "kubeconform" if self.name.startswith("kubeconform") else self.name

    @property
    def failing(self) -> list[Finding]:
        return [f for f in self.findings if f.excepted_by is None]

    @property
    def excepted(self) -> list[Finding]:
        return [f for f in self.findings if f.excepted_by is not None]

    @property
    def result(self) -> str:
        if self.status == "skipped":
            return "SKIP"
        if self.status != "ok" or self.errors:
            return "ERROR"
        return "FAIL" if self.failing else "PASS"


def _load_json(path: Path):
    text = path.read_text(encoding="utf-8").strip()
    if not text:
        raise ValueError(f"empty output in {path.name}")
    return json.loads(text)


def _short(path: str) -> str:
    if not path:
        return ""
    rel = os.path.relpath(path)
    return path if rel.startswith(".." + os.sep + "..") else rel


# kube-score ---------------------------------------------------------------
#
# kube-score's JSON (output version v2) is a list of scored objects, each with
# "checks": [{"check": {"id", "optional", ...}, "grade", "skipped", "comments"}].
# Grades (scorecard/scorecard.go): 1 CRITICAL, 5 WARNING, 7 "almost OK" (the
# only user is pod-probes when a livenessProbe is missing; kube-score prints it
# as OK), 10 all OK.
#
# What counts as a finding, one per (object, check):
#   * a check that was not skipped and graded below 10, so WARNING, CRITICAL
#     and the "almost OK" 7 all count;
#   * a default (non-optional) check skipped "because <id> is ignored": that
#     only happens through a kube-score/ignore annotation, which would bypass
#     the exceptions file (conformance.sh also passes
#     --disable-ignore-checks-annotations, so this is a safety net).
# Not findings: optional checks that are not enabled (skipped, "is ignored"),
# and checks that skip because they do not apply (pod-probes for a pod no
# Service targets, deployment-strategy/replicas for a Deployment no Service
# targets, the HPA check without an HPA, StatefulSet checks under 2 replicas).


def parse_kube_score(row: Row, out: Path, _ctx) -> None:
    data = _load_json(out)
    if data is None:  # nothing kube-score knows how to score
        return
    if not isinstance(data, list):
        raise ValueError("kube-score output is not a JSON list")
    for obj in data:
        kind = obj.get("type_meta", {}).get("kind", "?")
        meta = obj.get("object_meta", {}) or {}
        for c in obj.get("checks") or []:
            check = c.get("check", {})
            cid = check.get("id", "?")
            grade = c.get("grade")
            comments = c.get("comments") or []
            summaries = [
                (f"{x.get('path')}: " if x.get("path") else "") + (x.get("summary") or "")
                for x in comments
            ]
            if c.get("skipped"):
                ignored = any(
                    (x.get("summary") or "") == f"Skipped because {cid} is ignored" for x in comments
                )
                if ignored and not check.get("optional"):
                    msg = "default check disabled by a kube-score/ignore annotation"
                else:
                    continue
            elif isinstance(grade, int) and grade >= 10:
                continue
            else:
                gname = {1: "CRITICAL", 5: "WARNING", 7: "ALMOST-OK"}.get(grade, f"grade {grade}")
                msg = f"{gname}: " + "; ".join(s for s in summaries if s)
            row.findings.append(
                Finding(cid, kind, meta.get("name", "?"), meta.get("namespace"),
                        obj.get("file_name", ""), msg)
            )


# checkov ------------------------------------------------------------------
#
# Findings: every entry of results.failed_checks, and every entry of
# results.skipped_checks (a check suppressed in the manifest with a
# checkov.io/skip annotation, which would bypass the exceptions file).
# Any parsing error, or a run that saw no Kubernetes resource at all, makes the
# row an ERROR.


def _checkov_object(resource: str) -> tuple[str, str | None, str]:
    # "Kind.namespace.name"; names may contain dots, kinds and namespaces not.
    parts = resource.split(".", 2)
    if len(parts) == 3:
        return parts[0], parts[1], parts[2]
    if len(parts) == 2:
        return parts[0], None, parts[1]
    return "?", None, resource


def parse_checkov(row: Row, out: Path, ctx) -> None:
    data = _load_json(out)
    ns_idx = ctx.setdefault("ns_index", _namespace_index(ctx["manifests"]))

    def finding(c, message):
        k, ns, n = _checkov_object(c.get("resource", ""))
        path = c.get("file_abs_path", "")
        # checkov says "default" for objects without a namespace, cluster-scoped
        # ones included; take the namespace from the manifest when possible.
        if (path, k, n) in ns_idx:
            ns = ns_idx[(path, k, n)]
        return Finding(c["check_id"], k, n, ns, path, message)

    reports = data if isinstance(data, list) else [data]
    seen_resources = 0
    for rep in reports:
        if "results" not in rep:
            # checkov prints only a summary when it found nothing to scan
            continue
        if rep.get("check_type") != "kubernetes":
            raise ValueError(f"unexpected checkov report type {rep.get('check_type')}")
        summary = rep.get("summary", {})
        seen_resources += int(summary.get("resource_count", 0))
        res = rep["results"]
        for err in res.get("parsing_errors") or []:
            row.errors.append(f"checkov could not parse {err}")
        if summary.get("parsing_errors"):
            row.errors.append(f"checkov: {summary['parsing_errors']} parsing errors")
        for c in res.get("failed_checks") or []:
            row.findings.append(finding(c, c.get("check_name", "")))
        for c in res.get("skipped_checks") or []:
            why = (c.get("check_result") or {}).get("suppress_comment", "")
            row.findings.append(finding(c, f"suppressed in the manifest ({why}): {c.get('check_name', '')}"))
    if seen_resources == 0:
        row.errors.append("checkov found no Kubernetes resource to scan")


# kubeconform --------------------------------------------------------------
#
# Findings: every resource kubeconform reports (with -output json it lists only
# invalid and erroring resources). check is "schema-violation" for an object
# that breaks the strict schema (unknown field, wrong type, missing required
# field), "missing-schema" for a kind without a schema (CRD, misspelt
# apiVersion/kind, or a kind that does not exist in that Kubernetes version),
# "error" for anything else (unparseable YAML, missing kind...).


def _namespace_index(files: list[str]) -> dict[tuple[str, str, str], str | None]:
    idx: dict[tuple[str, str, str], str | None] = {}
    for f in files:
        try:
            with open(f, encoding="utf-8") as fh:
                docs = list(yaml.safe_load_all(fh))
        except Exception:  # kubeconform reports unparseable files itself
            continue
        for d in docs:
            if isinstance(d, dict):
                md = d.get("metadata") or {}
                if isinstance(md, dict):
                    idx[(f, str(d.get("kind")), str(md.get("name")))] = md.get("namespace")
    return idx


def parse_kubeconform(row: Row, out: Path, ctx) -> None:
    data = _load_json(out)
    ns_idx = ctx.setdefault("ns_index", _namespace_index(ctx["manifests"]))
    summary = data.get("summary") or {}
    for r in data.get("resources") or []:
        status = r.get("status", "")
        msg = r.get("msg", "")
        if status == "statusInvalid":
            check = "schema-violation"
            msg = msg.replace("problem validating schema. Check JSON formatting: ", "")
            msg = re.sub(r"jsonschema validation failed with '[^']*' - ", "", msg)
            msg = re.sub(r"\s+- at ", "; at ", msg)
        elif status == "statusError" and "could not find schema" in msg:
            check = "missing-schema"
        elif status in ("statusValid", "statusSkipped", "statusEmpty"):
            continue
        else:
            check = "error"
        for e in r.get("validationErrors") or []:
            if e.get("path") and e.get("path") not in msg:
                msg += f" [{e.get('path')}: {e.get('msg')}]"
        fname, kind, name = r.get("filename", ""), r.get("kind") or "?", r.get("name") or "?"
        row.findings.append(Finding(check, kind, name, ns_idx.get((fname, kind, name)), fname, msg))
    counted = int(summary.get("invalid", 0)) + int(summary.get("errors", 0))
    if summary and counted != len(row.findings):
        row.errors.append(f"kubeconform summary counts {counted} bad resources, parsed {len(row.findings)}")
    if summary and int(summary.get("valid", 0)) + counted == 0:
        row.errors.append("kubeconform validated no resource")


# psa-check / audit-check --------------------------------------------------
#
# Text interface: one line per finding, then a final summary line
#   psa-check: N pod templates evaluated, M violations
#   audit-check: N policies checked, M findings
# Finding lines are
#   psa-check:   FILE: Kind/namespace/name: REASON: DETAIL   (check = REASON)
#   audit-check: FILE: Policy/name: MESSAGE                  (check = MESSAGE)
# The count M of the summary line is authoritative; a finding line that
# cannot be parsed is still a finding (object "?", check = the whole line).

_SUMMARY = {
    "psa-check": re.compile(r"^psa-check: (\d+) pod templates evaluated, (\d+) violations\s*$"),
    "audit-check": re.compile(r"^audit-check: (\d+) policies checked, (\d+) findings\s*$"),
}
_PSA_LINE = re.compile(r"^(?P<file>.+?): (?P<kind>[^/:\s]+)/(?P<ns>[^/:\s]+)/(?P<name>[^/:\s]+): (?P<check>[^:]+?)(?:: (?P<detail>.*))?$")
_AUDIT_LINE = re.compile(r"^(?P<file>.+?): (?P<kind>Policy)/(?P<name>[^:\s]+): (?P<check>.+)$")


def parse_text_tool(row: Row, out: Path, _ctx) -> None:
    lines = [l.rstrip("\n") for l in out.read_text(encoding="utf-8").splitlines() if l.strip()]
    prefix = row.name + ":"
    summary = [l for l in lines if _SUMMARY[row.name].match(l)]
    if not summary:
        raise ValueError(f"no '{row.name}: ...' summary line in the output")
    evaluated, count = (int(x) for x in _SUMMARY[row.name].match(summary[-1]).groups())
    row.note = f"{evaluated} " + ("pod templates" if row.name == "psa-check" else "policies")
    parsed = []
    for l in lines:
        if l.startswith(prefix):
            continue
        m = (_PSA_LINE if row.name == "psa-check" else _AUDIT_LINE).match(l)
        if m:
            ns = m.groupdict().get("ns")
            parsed.append(Finding(m.group("check").strip(), m.group("kind"), m.group("name"),
                                  None if ns in (None, "-") else ns, m.group("file"),
                                  m.groupdict().get("detail") or ""))
        else:
            parsed.append(Finding(l, "?", "?", None, "", l))
    if len(parsed) != count:
        row.errors.append(f"{row.name} summary says {count} findings but printed {len(parsed)} finding lines")
    row.findings.extend(parsed)
    while len(row.findings) < count:
        row.findings.append(Finding("unlisted", "?", "?", None, "", "counted in the summary line but not printed"))


PARSERS = {
    "kube-score": parse_kube_score,
    "checkov": parse_checkov,
    "kubeconform": parse_kubeconform,
    "text": parse_text_tool,
}


# --------------------------------------------------------------------------
# exceptions


class ExceptionsError(Exception):
    pass


def load_exceptions(path: str) -> list[dict]:
    try:
        return _load_exceptions(path)
    except yaml.YAMLError as exc:
        raise ExceptionsError(f"conformance: {path}: not valid YAML: {exc}") from exc


def _load_exceptions(path: str) -> list[dict]:
    if not os.path.exists(path):
        raise ExceptionsError(f"conformance: exceptions file {path} not found")
    with open(path, encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    if doc is None:
        doc = {}
    if not isinstance(doc, dict) or set(doc) - {"exceptions"}:
        raise ExceptionsError(f"conformance: {path}: top level must be a mapping with the single key 'exceptions'")
    entries = doc.get("exceptions") or []
    if not isinstance(entries, list):
        raise ExceptionsError(f"conformance: {path}: 'exceptions' must be a list")
    keys = {"tool", "check", "object", "reason"}
    for i, e in enumerate(entries, 1):
        where = f"conformance: {path}: exception #{i}"
        if not isinstance(e, dict):
            raise ExceptionsError(f"{where}: must be a mapping")
        if set(e) != keys:
            raise ExceptionsError(f"{where}: needs exactly the keys {sorted(keys)}, has {sorted(e)}")
        for k in keys:
            if not isinstance(e[k], str) or not e[k].strip():
                raise ExceptionsError(f"{where}: '{k}' must be a non-empty string")
        if not any(e["tool"] == f or fnmatchcase(f, e["tool"]) for f in FAMILIES) and not e["tool"].startswith("kubeconform-"):
            raise ExceptionsError(f"{where}: unknown tool '{e['tool']}' (one of {', '.join(FAMILIES)} or kubeconform-<version>)")
        e["_index"] = i
        e["_used"] = 0
    return entries


def apply_exceptions(rows: list[Row], entries: list[dict]) -> None:
    for row in rows:
        for f in row.findings:
            for e in entries:
                tool_ok = e["tool"] in (row.name, row.family) or fnmatchcase(row.name, e["tool"])
                if (tool_ok and fnmatchcase(f.check, e["check"])
                        and any(fnmatchcase(o, e["object"]) for o in f.objects())):
                    f.excepted_by = e
                    e["_used"] += 1
                    break


# --------------------------------------------------------------------------
# report


def report(rundir: str, exceptions_path: str) -> int:
    run = Path(rundir)
    entries = load_exceptions(exceptions_path)
    manifests = [l for l in (run / "manifests.txt").read_text(encoding="utf-8").splitlines() if l]
    ctx = {"manifests": manifests}
    rows: list[Row] = []
    for line in (run / "rows.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        name, parser, version, status, note = (line.split("\t") + [""] * 5)[:5]
        row = Row(name, parser, version, status, note)
        rows.append(row)
        rdir = run / "rows" / name
        if status == "skipped":
            continue
        if status != "ok":
            errfile = rdir / "install.log"
            text = errfile.read_text(encoding="utf-8", errors="replace").strip() if errfile.exists() else ""
            row.errors.append(f"{status}" + (f":\n{text[-2000:]}" if text else ""))
            continue
        invs = sorted(rdir.glob("*.rc"), key=lambda p: p.name)
        if not invs:
            row.errors.append("tool did not run")
        for rcfile in invs:
            stem = rcfile.name[:-3]
            rc = int(rcfile.read_text().strip() or "255")
            row.rcs.append(rc)
            label = (rdir / f"{stem}.label").read_text(encoding="utf-8").strip() if (rdir / f"{stem}.label").exists() else stem
            err = (rdir / f"{stem}.err").read_text(encoding="utf-8", errors="replace").strip() if (rdir / f"{stem}.err").exists() else ""
            if rc not in (0, 1):
                row.errors.append(f"[{label}] exit code {rc}" + (f":\n{err[-3000:]}" if err else ""))
                continue
            before, errors_before = len(row.findings), len(row.errors)
            try:
                PARSERS[parser](row, rdir / f"{stem}.out", ctx)
            except Exception as exc:  # unreadable output is a tool failure
                row.errors.append(f"[{label}] cannot read the output: {exc}" + (f"\n{err[-3000:]}" if err else ""))
                continue
            row.errors[errors_before:] = [f"[{label}] {e}" for e in row.errors[errors_before:]]
            new = len(row.findings) - before
            # exit status and output must agree, else something went wrong
            # (kube-score exits 1 only for CRITICAL grades, so it is not checked)
            if parser != "kube-score" and (rc == 1) != (new > 0):
                row.errors.append(f"[{label}] exit code {rc} but {new} findings" + (f":\n{err[-3000:]}" if err else ""))
    apply_exceptions(rows, entries)

    # details
    print("=" * 72)
    print("Conformance findings")
    print("=" * 72)
    for row in rows:
        header = f"-- {row.name} ({row.version})"
        if row.status == "skipped":
            print(f"{header}: skipped, {row.note}")
            continue
        if not row.findings and not row.errors:
            what = "no findings" + (f" ({row.note})" if row.note else "")
            print(f"{header}: {what}")
            continue
        print(f"{header}: {len(row.failing)} findings, {len(row.excepted)} excepted"
              + (", ERRORS" if row.errors else ""))
        for f in sorted(row.findings, key=lambda f: (f.excepted_by is not None, f.check, f.label())):
            tag = "EXCEPTED" if f.excepted_by else "FAIL    "
            loc = f" [{_short(f.file)}]" if f.file else ""
            print(f"   {tag} {f.check}  {f.label()}{loc}  {f.message}")
            if f.excepted_by:
                print(f"            (exception #{f.excepted_by['_index']}: {f.excepted_by['reason']})")
        for e in row.errors:
            for i, l in enumerate(e.splitlines()):
                print(f"   {'ERROR   ' if i == 0 else '        '} {l}")
    for e in entries:
        if e["_used"] == 0:
            print(f"warning: exception #{e['_index']} ({e['tool']} {e['check']} {e['object']}) matched nothing")

    # table
    head = ("tool", "version", "exit code", "findings", "excepted", "result")
    table = []
    for row in rows:
        exit_code = "-" if not row.rcs else str(max(row.rcs))
        findings = "-" if row.status != "ok" else str(len(row.failing))
        excepted = "-" if row.status != "ok" else str(len(row.excepted))
        result = row.result if row.status != "skipped" else f"SKIP ({row.note})"
        table.append((row.name, row.version, exit_code, findings, excepted, result))
    widths = [max(len(str(r[i])) for r in [head] + table) for i in range(len(head))]
    fmt = lambda r: "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths)) + " |"
    print()
    print(fmt(head))
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for r in table:
        print(fmt(r))
    print("findings = findings not covered by an exception; excepted = covered by conformance-exceptions.yaml")
    bad = [r.name for r in rows if r.result in ("FAIL", "ERROR")]
    if bad:
        print(f"conformance: FAILED ({', '.join(bad)})")
        return 1
    print("conformance: passed")
    return 0


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "schema-versions":
        print("\n".join(schema_versions(argv[1])))
        return 0
    if len(argv) >= 3 and argv[0] == "crd-schemas":
        crd_schemas(argv[1], argv[2:])
        return 0
    if len(argv) == 3 and argv[0] == "prepare-schemas":
        prepare_schemas(argv[1], argv[2])
        return 0
    try:
        if len(argv) == 2 and argv[0] == "check-exceptions":
            load_exceptions(argv[1])
            return 0
        if len(argv) == 3 and argv[0] == "report":
            return report(argv[1], argv[2])
    except ExceptionsError as exc:
        print(exc, file=sys.stderr)
        return 2
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
