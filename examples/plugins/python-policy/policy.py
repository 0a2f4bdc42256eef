"""Pure policy logic of example/python-policy: no gRPC, no protobuf, no I/O.

Two rules, applied line by line to CI files and Dockerfiles:

* POLICY_UNPINNED_IMAGE (warning): a container image with no tag or the
  `latest` tag (`image: postgres`, `image: node:latest`, `FROM ubuntu`,
  `container: redis`, `uses: docker://alpine`, Jenkins `image 'maven'` and
  `docker.image('maven')`). Images pinned by digest (`@sha256:...`), templated
  references (`${{ matrix.image }}`, `$BASE`), `scratch` and earlier build
  stages (`FROM build`) are fine.
* POLICY_UNPINNED_ACTION (error): a GitHub action or reusable workflow used at
  a branch (`uses: actions/checkout@main`, `@master`, `@HEAD`) or with no ref
  at all. Local actions (`./...`) are fine.

Positions are 1-based; columns count Unicode code points (for text without
characters outside the BMP this equals the UTF-16 columns JavaScript shows).
Results are sorted by (path, line, column, code) and are the same for the
same input on every run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, List, Optional, Tuple

ERROR = "error"
WARNING = "warning"
INFO = "info"

UNPINNED_IMAGE = "POLICY_UNPINNED_IMAGE"
UNPINNED_ACTION = "POLICY_UNPINNED_ACTION"
TOO_MANY_FINDINGS = "POLICY_TOO_MANY_FINDINGS"

# Branch names an action must not be used at.
BRANCH_REFS = frozenset({"main", "master", "HEAD"})
# Per file; the rest is summarised in one info finding so that a pathological
# file cannot blow the gRPC message size limit.
MAX_FINDINGS_PER_FILE = 200


@dataclass(frozen=True, order=True)
class Finding:
    """One policy violation; becomes a cig.plugin.v1.Diagnostic."""

    path: str
    line: int
    column: int
    code: str
    level: str = field(compare=False)
    title: str = field(compare=False)
    message: str = field(compare=False)
    fix_hint: str = field(compare=False)
    # Exclusive end column on the same line; 0 when unknown.
    end_column: int = field(default=0, compare=False)


@dataclass(frozen=True)
class RepoFile:
    """A file of the repository snapshot; content only when the core inlined it."""

    path: str
    content: Optional[bytes] = None


@dataclass
class DetectResult:
    signals: List[str]
    facts: dict
    confidence: float


# --------------------------------------------------------------------------
# Detect
# --------------------------------------------------------------------------

# The globs the core should inline content for (PluginInfo.detect_patterns).
DETECT_PATTERNS = ("Dockerfile", "**/Dockerfile", ".github/workflows/*.yml", ".github/workflows/*.yaml")
DETECT_CONFIDENCE = 0.6


def is_dockerfile(path: str) -> bool:
    return path.rsplit("/", 1)[-1] == "Dockerfile"


def is_workflow(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == ".github" and parts[1] == "workflows" and parts[2].endswith((".yml", ".yaml"))


def detect(files: Iterable[RepoFile]) -> DetectResult:
    """Whether the repository has anything this policy applies to.

    Counts Dockerfiles and GitHub workflows by path and, for files whose
    content the core inlined, counts what `validate` would flag today.
    """
    dockerfiles = workflows = scanned = 0
    unpinned_images = unpinned_actions = 0
    for f in files:
        docker, workflow = is_dockerfile(f.path), is_workflow(f.path)
        if not (docker or workflow):
            continue
        dockerfiles += docker
        workflows += workflow
        if f.content is None:
            continue
        scanned += 1
        for finding in scan_text(f.path, f.content.decode("utf-8", errors="replace"), limit=None):
            unpinned_images += finding.code == UNPINNED_IMAGE
            unpinned_actions += finding.code == UNPINNED_ACTION
    if dockerfiles == 0 and workflows == 0:
        return DetectResult(signals=[], facts={}, confidence=0.0)
    signals = []
    if dockerfiles:
        signals.append("has_dockerfile")
    if workflows:
        signals.append("has_github_workflows")
    if unpinned_images:
        signals.append("has_unpinned_images")
    if unpinned_actions:
        signals.append("has_unpinned_actions")
    facts = {
        "dockerfile_count": str(dockerfiles),
        "workflow_count": str(workflows),
        "policy_scanned_file_count": str(scanned),
        "unpinned_image_count": str(unpinned_images),
        "unpinned_action_count": str(unpinned_actions),
    }
    return DetectResult(signals=signals, facts=facts, confidence=DETECT_CONFIDENCE)


# --------------------------------------------------------------------------
# Validate
# --------------------------------------------------------------------------


def validate(fragments: Iterable[Tuple[str, str]]) -> List[Finding]:
    """Findings for rendered files given as (path, content) pairs, sorted."""
    out: List[Finding] = []
    for path, content in fragments:
        out.extend(scan_text(path, content))
    out.sort()
    return out


# `image:` / `container:` / `uses:` as a YAML key (optionally a list item), or
# as a quoted JSON key.
_KEY = re.compile(r"""[ \t]*(?:-[ \t]+)?(?P<q>["']?)(?P<key>image|container|uses)(?P=q)[ \t]*:(?=[ \t"']|$)""")
# Jenkins declarative `image 'maven:3'` (inside `agent { docker { ... } }`).
_GROOVY_IMAGE = re.compile(r"""[ \t]*image[ \t]+(?P<q>['"])(?P<ref>[^'"\s]+)(?P=q)""")
# Jenkins scripted `docker.image('maven:3')`.
_GROOVY_DOCKER_IMAGE = re.compile(r"""docker\.image\([ \t]*(?P<q>['"])(?P<ref>[^'"\s]+)(?P=q)""")
# What a plausible image reference looks like; anything else is left alone.
_IMAGE_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-/:@+]*")


def scan_text(path: str, text: str, limit: Optional[int] = MAX_FINDINGS_PER_FILE) -> List[Finding]:
    """Findings for one file, sorted; at most `limit` plus one summary."""
    dockerfile = _looks_like_dockerfile(path)
    stages: set = set()
    found: List[Finding] = []
    # Split on "\n" only: str.splitlines() also splits on \v, \f, \x1c and
    # U+2028, which would number lines differently from every editor.
    for index, raw in enumerate(text.split("\n")):
        line = raw[:-1] if raw.endswith("\r") else raw
        stripped = line.lstrip()
        if not stripped or stripped.startswith(("#", "//")):
            continue
        found.extend(_scan_line(path, index + 1, line, stripped, dockerfile, stages))
    found.sort()
    if limit is not None and len(found) > limit:
        first_dropped = found[limit]
        dropped = len(found) - limit
        found = found[:limit]
        found.append(
            Finding(
                path=path,
                line=first_dropped.line,
                column=first_dropped.column,
                code=TOO_MANY_FINDINGS,
                level=INFO,
                title=f"{dropped} more policy findings in this file are not shown",
                message=f"{path} has {limit + dropped} policy findings; only the first {limit} are reported.",
                fix_hint="Fix the findings shown and validate again to see the rest.",
            )
        )
    return found


def _scan_line(path: str, lineno: int, line: str, stripped: str, dockerfile: bool, stages: set) -> List[Finding]:
    out: List[Finding] = []
    # Dockerfile instructions are case-insensitive; elsewhere (a heredoc in a
    # run: block) only upper-case FROM counts, so that Python's
    # "from x import y" is not taken for an image.
    head = stripped[:5]
    if head.upper() == "FROM " or head.upper() == "FROM\t":
        if dockerfile or head.startswith("FROM"):
            f = _from_instruction(path, lineno, line, stages)
            if f:
                out.append(f)
        return out

    m = _KEY.match(line)
    if m:
        key = m.group("key")
        value_at = m.end()
        ref, col = _yaml_scalar(line, value_at)
        if ref is None:
            return out
        if key == "uses":
            if ref.startswith("docker://"):
                image = ref[len("docker://") :]
                f = _image_finding(path, lineno, col + len("docker://"), image)
            else:
                f = _action_finding(path, lineno, col, ref)
        else:
            f = _image_finding(path, lineno, col, ref)
        if f:
            out.append(f)
        return out

    m = _GROOVY_IMAGE.match(line)
    if m:
        f = _image_finding(path, lineno, m.start("ref") + 1, m.group("ref"))
        if f:
            out.append(f)
    for m in _GROOVY_DOCKER_IMAGE.finditer(line):
        f = _image_finding(path, lineno, m.start("ref") + 1, m.group("ref"))
        if f:
            out.append(f)
    return out


def _yaml_scalar(line: str, start: int) -> Tuple[Optional[str], int]:
    """The plain or quoted scalar after a key, and its 1-based column."""
    i = start
    while i < len(line) and line[i] in " \t":
        i += 1
    if i >= len(line):
        return None, 0  # a mapping or list follows on the next lines
    quote = line[i]
    if quote in "\"'":
        end = line.find(quote, i + 1)
        if end < 0:
            return None, 0
        return line[i + 1 : end], i + 2
    end = i
    while end < len(line) and line[end] not in " \t":
        end += 1
    ref = line[i:end]
    # Flow collections, block scalars, anchors, aliases and tags are not plain
    # references; a trailing comma belongs to JSON.
    if ref[0] in "{[|>&*!%@`":
        return None, 0
    return ref.rstrip(","), i + 1


def _from_instruction(path: str, lineno: int, line: str, stages: set) -> Optional[Finding]:
    """`FROM [--platform=...] <image> [AS <stage>]`."""
    tokens = []  # (token, 0-based start)
    i = 0
    n = len(line)
    while i < n:
        while i < n and line[i] in " \t":
            i += 1
        if i >= n:
            break
        start = i
        while i < n and line[i] not in " \t":
            i += 1
        tokens.append((line[start:i], start))
        if len(tokens) > 8:
            break  # FROM, flags, image, AS, name: anything longer is not ours to judge
    k = 1
    while k < len(tokens) and tokens[k][0].startswith("--"):
        k += 1
    if k >= len(tokens):
        return None
    ref, start = tokens[k]
    if k + 2 < len(tokens) and tokens[k + 1][0].lower() == "as":
        stages.add(tokens[k + 2][0].lower())
    if ref.lower() in stages:
        return None  # an earlier build stage, not an image
    return _image_finding(path, lineno, start + 1, ref)


def _image_finding(path: str, lineno: int, column: int, ref: str) -> Optional[Finding]:
    problem = image_problem(ref)
    if problem is None:
        return None
    if problem == "latest":
        title = f"Container image {ref} uses the latest tag"
        message = (
            f"{ref} follows whatever was pushed last, so two runs of the same commit can use different images "
            "and a compromised or broken push reaches your CI at once."
        )
    else:
        title = f"Container image {ref} has no tag"
        message = (
            f"{ref} has no tag, so it means {ref}:latest: two runs of the same commit can use different images "
            "and a compromised or broken push reaches your CI at once."
        )
    name = ref.rsplit(":", 1)[0] if problem == "latest" else ref
    return Finding(
        path=path,
        line=lineno,
        column=column,
        code=UNPINNED_IMAGE,
        level=WARNING,
        title=title,
        message=message,
        fix_hint=f"Pin a version tag ({name}:<version>) or, to be reproducible, a digest ({name}@sha256:<digest>).",
        end_column=column + len(ref),
    )


def image_problem(ref: str) -> Optional[str]:
    """"latest", "untagged", or None when the reference is pinned or not ours to judge."""
    if "$" in ref or "{{" in ref or "}}" in ref or "<" in ref:
        return None  # templated: resolved later, by someone else
    if not _IMAGE_REF.fullmatch(ref):
        return None
    if ref == "scratch" or "@" in ref:
        return None  # the empty image, or pinned by digest
    last = ref.rsplit("/", 1)[-1]
    if ":" not in last:
        # A colon before the last "/" is a registry port (localhost:5000/app).
        return "untagged"
    tag = last.rsplit(":", 1)[1]
    if tag == "":
        return "untagged"
    if tag == "latest":
        return "latest"
    return None


def _action_finding(path: str, lineno: int, column: int, ref: str) -> Optional[Finding]:
    problem = action_problem(ref)
    if problem is None:
        return None
    name, _, branch = ref.rpartition("@")
    if problem == "no-ref":
        name = ref
        title = f"Action {ref} has no version"
        message = f"{ref} names no ref: GitHub rejects it, and any ref you add later should be a tag or commit, not a branch."
    else:
        title = f"Action {name} is used at branch {branch}"
        repo = "/".join(name.split("/")[:2])
        message = (
            f"{ref} runs whatever is on {branch} when the job starts: anyone who can push to {repo} "
            "changes what your CI runs, with your CI's secrets."
        )
    return Finding(
        path=path,
        line=lineno,
        column=column,
        code=UNPINNED_ACTION,
        level=ERROR,
        title=title,
        message=message,
        fix_hint=f"Pin a release tag ({name}@v1.2.3) or, safest, a full commit SHA ({name}@<40-hex-sha> # v1.2.3).",
        end_column=column + len(ref),
    )


def action_problem(ref: str) -> Optional[str]:
    """"branch", "no-ref", or None when the reference is pinned or not ours to judge."""
    if ref.startswith(("./", "../", "docker://")) or "$" in ref or "{{" in ref:
        return None
    if "/" not in ref or not re.fullmatch(r"[A-Za-z0-9_.\-]+/[^\s@]+(@[^\s@]+)?", ref):
        return None
    if "@" not in ref:
        return "no-ref"
    return "branch" if ref.rpartition("@")[2] in BRANCH_REFS else None


def _looks_like_dockerfile(path: str) -> bool:
    base = path.rsplit("/", 1)[-1]
    lower = base.lower()
    return lower in ("dockerfile", "containerfile") or lower.startswith("dockerfile.") or lower.endswith(".dockerfile")
