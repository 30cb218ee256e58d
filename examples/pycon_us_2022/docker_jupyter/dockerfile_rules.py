"""The rules a Dockerfile for a notebook keeps, checked without a Docker engine.

The talk built its image from a Dockerfile; the notes' copy of it would not build, and the parts
that would build are not reproducible. Each rule below names one thing a good Dockerfile does and
finds the lines that break it, by reading the file with ``dockerfile-parse`` (the parser Red Hat's
OpenShift tools use). ``spot_the_bug.py`` runs them on the notes' Dockerfile, the tests on ours.

```python
from examples.pycon_us_2022.docker_jupyter.dockerfile_rules import check

findings = check("FROM jupyter/scipy-notebook:latest\\nCMD jupyter lab\\n")
assert {f.rule for f in findings} >= {"pinned-base", "current-registry", "exec-form"}
```
"""

from __future__ import annotations

import argparse
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from example_support.command_line import run
from examples.pycon_us_2022.docker_jupyter.dockerfile_text import (
    Instruction,
    NoInstructions,
    parse,
    read_dockerfile,
)

HERE = Path(__file__).resolve().parent
DOCKERFILE = HERE / "Dockerfile"
# fmt: off
INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})
# fmt: on
# Instructions whose arguments a shell never sees: a '#' there is an argument, not a comment.
NOT_SHELL = INSTRUCTIONS - {"RUN", "CMD", "ENTRYPOINT", "HEALTHCHECK", "ONBUILD"}
REQUIRED_LABELS = ("org.opencontainers.image.authors", "org.opencontainers.image.source")
SHELL_STEP = r"(?:^|&&|\|\||;|\n)\s*"  # where a new command starts (\n: in a heredoc)


@dataclass(frozen=True)
class Finding:
    rule: str
    line: int
    message: str


def _known_instructions(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding("known-instructions", s.line, f"{s.name!r} is not a Dockerfile instruction")
        for s in steps
        if s.name not in INSTRUCTIONS
    ]


def _comments_on_own_line(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding(
            "comments-on-own-line",
            s.line,
            f"'#' starts a comment only at the start of a line: {s.name} gets "
            f"{len(s.value.split())} arguments",
        )
        for s in steps
        if s.name in NOT_SHELL and re.search(r"\s#", s.value)
    ]


def base_image(step: Instruction) -> str:
    """The image reference of a FROM, without --platform and without the stage name."""
    words = [w for w in step.value.split() if not w.startswith("--")]
    return words[0] if words else ""


def image_tag(reference: str) -> str | None:
    """The tag of an image reference, None when it has none (a digest counts as a tag)."""
    if "@" in reference:
        return reference.partition("@")[2]
    name, _, tag = reference.rpartition(":")
    return tag if name and "/" not in tag else None


def base_images(steps: list[Instruction]) -> list[tuple[Instruction, str]]:
    """(FROM, the image it pulls) with global ARG defaults put in; not scratch, not a stage."""
    args, stages, found = {}, set(), []
    for step in steps:
        if step.name == "ARG" and not stages and not found:  # ARGs before the first FROM
            name, _, default = step.value.partition("=")
            args[name.strip()] = default.strip().strip("\"'")
        if step.name != "FROM":
            continue
        reference = re.sub(
            r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group()), base_image(step)
        )
        if reference.lower() != "scratch" and reference.lower() not in stages:
            found.append((step, reference))
        words = step.value.split()
        if len(words) >= 2 and words[-2].upper() == "AS":
            stages.add(words[-1].lower())
    return found


def _pinned_base(steps: list[Instruction]) -> list[Finding]:
    findings = []
    for step, reference in base_images(steps):
        tag = image_tag(reference)
        if tag in (None, "latest"):
            shown = "no tag, which means 'latest'" if tag is None else "'latest'"
            findings.append(
                Finding("pinned-base", step.line, f"base image tag is {shown}: it moves weekly")
            )
    return findings


def _current_registry(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding(
            "current-registry",
            s.line,
            "Jupyter's images on Docker Hub stopped updating on 2023-10-20: "
            "use quay.io/jupyter/...",
        )
        for s, reference in base_images(steps)
        if re.match(r"(docker\.io/)?jupyter/", reference)
    ]


def _oci_labels(steps: list[Instruction]) -> list[Finding]:
    findings = [
        Finding("oci-labels", s.line, "MAINTAINER is deprecated: use LABEL org.opencontainers...")
        for s in steps
        if s.name == "MAINTAINER"
    ]
    labels = " ".join(s.value for s in steps if s.name == "LABEL")
    missing = [key for key in REQUIRED_LABELS if f"{key}=" not in labels]
    if missing:
        first = steps[0].line if steps else 1
        findings.append(Finding("oci-labels", first, f"no LABEL {', '.join(missing)}"))
    return findings


def _non_root_user(steps: list[Instruction]) -> list[Finding]:
    users = [s for s in steps if s.name == "USER"]
    if not users:
        last = steps[-1].line if steps else 1
        return [
            Finding(
                "non-root-user",
                last,
                "no USER: the container runs as whoever the base image last set",
            )
        ]
    final = users[-1]
    if final.value.split(":")[0] in ("root", "0"):
        return [Finding("non-root-user", final.line, "the image ends as root")]
    return []


def is_exec_form(value: str) -> bool:
    """True for the JSON-array form of CMD and ENTRYPOINT."""
    try:
        words = json.loads(value)
    except ValueError:
        return False
    return isinstance(words, list) and all(isinstance(w, str) for w in words)


def _exec_form(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding("exec-form", s.line, f"shell form: /bin/sh -c {s.value!r} gets the signals")
        for s in steps
        if s.name in ("CMD", "ENTRYPOINT") and not is_exec_form(s.value)
    ]


def _copy_with_owner(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding("copy-with-owner", s.line, f"{s.name} without --chown: the files belong to root")
        for s in steps
        if s.name in ("COPY", "ADD") and "--chown=" not in s.value
    ]


def _sources_from_context(steps: list[Instruction]) -> list[Finding]:
    findings = []
    for step in steps:
        if step.name == "RUN" and re.search(rf"{SHELL_STEP}git\s+clone\b", step.value):
            findings.append(
                Finding(
                    "sources-from-context",
                    step.line_of(r"git\s+clone"),
                    "git clone at build time: a cached layer keeps the old checkout; "
                    "COPY the code from the build context",
                )
            )
        if step.name == "ADD" and re.search(r"\s(https?|git)://|^(https?|git)://", step.value):
            findings.append(
                Finding("sources-from-context", step.line, "ADD of a URL: download it beforehand")
            )
    return findings


def _well_formed_urls(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding(
            "well-formed-urls",
            s.line_of(r"\b[a-z]+//:"),
            f"{match.group()!r} is not a URL scheme (scheme://)",
        )
        for s in steps
        if (match := re.search(r"\b[a-z]+//:", s.value))
    ]


def _workdir_not_cd(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding(
            "workdir-not-cd",
            s.line_of(rf"{SHELL_STEP}cd\s"),
            "cd lasts for this RUN only: use WORKDIR",
        )
        for s in steps
        if s.name == "RUN" and re.search(rf"{SHELL_STEP}cd\s", s.value)
    ]


def _pip_no_cache(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding(
            "pip-no-cache",
            s.line_of(r"pip\s+install"),
            "pip install without --no-cache-dir: the download cache stays in the layer",
        )
        for s in steps
        if s.name == "RUN"
        and re.search(r"pip\s+install", s.value)
        and "--no-cache-dir" not in s.value
    ]


def _no_placeholders(steps: list[Instruction]) -> list[Finding]:
    return [
        Finding(
            "no-placeholders",
            s.line_of(rf"{SHELL_STEP}\.\.\.\s*\\?$"),
            "'...' is a placeholder: the shell would run a command named '...'",
        )
        for s in steps
        if s.name == "RUN" and re.search(rf"{SHELL_STEP}\.\.\.(\s|$)", s.value)
    ]


Check = Callable[[list[Instruction]], list[Finding]]
# Rule name -> (what a good Dockerfile does, the check). The order is the page's.
RULES: dict[str, tuple[str, Check]] = {
    "known-instructions": ("every line is an instruction, a comment or blank", _known_instructions),
    "comments-on-own-line": ("comments stand on their own line", _comments_on_own_line),
    "pinned-base": ("the base image has a fixed tag, not latest", _pinned_base),
    "current-registry": ("Jupyter's images come from quay.io/jupyter", _current_registry),
    "oci-labels": ("OCI labels name authors and source; no MAINTAINER", _oci_labels),
    "non-root-user": ("the image ends with a USER that is not root", _non_root_user),
    "exec-form": ("CMD and ENTRYPOINT use the exec (JSON) form", _exec_form),
    "copy-with-owner": ("COPY gives files to the user with --chown", _copy_with_owner),
    "sources-from-context": ("code comes from the build context", _sources_from_context),
    "well-formed-urls": ("URLs are well formed", _well_formed_urls),
    "workdir-not-cd": ("WORKDIR changes directory, not cd", _workdir_not_cd),
    "pip-no-cache": ("pip keeps no cache in the image", _pip_no_cache),
    "no-placeholders": ("no '...' placeholders in commands", _no_placeholders),
}


def check(text: str, rules: list[str] | None = None) -> list[Finding]:
    """Every finding of the given rules (all by default), in line order."""
    steps = parse(text)
    if not steps:
        raise NoInstructions("file with no instructions")
    findings = [f for name in rules or list(RULES) for f in RULES[name][1](steps)]
    return sorted(findings, key=lambda f: f.line)


def main() -> int:
    parser = argparse.ArgumentParser(
        prog="dockerfile_rules",
        description="Check a Jupyter Dockerfile against the rules of the Docker talk's page.",
    )
    parser.add_argument(
        "dockerfile", nargs="?", type=Path, default=DOCKERFILE, help="default: the page's own"
    )
    args = parser.parse_args()
    findings = check(read_dockerfile(args.dockerfile))
    for name, (summary, _) in RULES.items():
        broken = [f for f in findings if f.rule == name]
        print(f"{'FAIL' if broken else 'ok':4}  {name:21} {summary}")
        for finding in broken:
            print(f"      line {finding.line}: {finding.message}")
    return 1 if findings else 0


if __name__ == "__main__":
    run(main, prog="dockerfile_rules")
