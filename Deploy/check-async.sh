#!/usr/bin/env bash
# Keeps the runtime's rule: no async function waits on a semaphore, joins a thread or sleeps the thread it
# runs on. Such work belongs in a `BlockingWork.run { … }` (or `offPool { … }`) closure, which runs on a
# thread of its own: Swift's cooperative pool has as many threads as cores, and one blocked thread is half
# of this machine. Checks the daemon's sources (Gateway, Outbox, POSIX, MQTT, plantgated).
#
# A heuristic, not a compiler: it finds each `func … async` body by its braces, drops the closures handed
# to BlockingWork.run / offPool, and looks for `.wait(`, `.join(`, `Thread.sleep`, `usleep(` and a bare
# `sleep(` in what is left.
#
# Usage: Deploy/check-async.sh   (exit 0: none; 1: prints file:line and the call)
set -euo pipefail
cd "$(dirname "$0")/.."

python3 - "$@" <<'PYTHON'
import os, re, sys

roots = ["Sources/Gateway", "Sources/Outbox", "Sources/POSIX", "Sources/MQTT", "Sources/plantgated"]
if len(sys.argv) > 1:
    roots = sys.argv[1:]
blocking = re.compile(r"\.wait\(|\.join\(|\bThread\.sleep\b|\busleep\(|(?<![.\w])sleep\(")
async_func = re.compile(r"\bfunc\s+\w+[^{]*?\)\s*(?:async)\b[^{]*\{")
off_pool = re.compile(r"\b(?:BlockingWork\.run|offPool)\s*(?:\([^)]*\))?\s*(?:\{\s*(?:\[[^\]]*\]\s*)?(?:\([^)]*\)\s*(?:->\s*[^{]+)?in|in)?)?")


def matching_brace(text, open_index):
    depth = 0
    for index in range(open_index, len(text)):
        if text[index] == "{":
            depth += 1
        elif text[index] == "}":
            depth -= 1
            if depth == 0:
                return index
    return len(text) - 1


def blank(text):
    """Comments and string literals become spaces (newlines kept), so neither braces nor calls in them count."""
    out, index = [], 0
    while index < len(text):
        if text.startswith("//", index):
            end = text.find("\n", index)
            end = len(text) if end < 0 else end
            out.append(" " * (end - index)); index = end
        elif text.startswith('"""', index):
            end = text.find('"""', index + 3)
            end = len(text) if end < 0 else end + 3
            out.append(re.sub(r"[^\n]", " ", text[index:end])); index = end
        elif text[index] == '"':
            end = index + 1
            while end < len(text) and text[end] not in '"\n':
                end += 2 if text[end] == "\\" else 1
            out.append(" " * (end + 1 - index)); index = end + 1
        else:
            out.append(text[index]); index += 1
    return "".join(out)


failures = 0
for root in roots:
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if not name.endswith(".swift"):
                continue
            path = os.path.join(directory, name)
            text = blank(open(path, encoding="utf-8").read())
            for match in async_func.finditer(text):
                body_start = match.end() - 1
                body_end = matching_brace(text, body_start)
                body = list(text[body_start:body_end + 1])
                # Drop what runs off the pool: the closure handed to BlockingWork.run or offPool.
                for hop in off_pool.finditer(text, body_start, body_end):
                    brace = text.find("{", hop.start(), body_end)
                    if brace < 0:
                        continue
                    close = matching_brace(text, brace)
                    for index in range(brace, close + 1):
                        if body[index - body_start] != "\n":
                            body[index - body_start] = " "
                for call in blocking.finditer("".join(body)):
                    line = text.count("\n", 0, body_start + call.start()) + 1
                    print(f"{path}:{line}: blocking call {call.group(0)!r} in an async function; run it through BlockingWork.run")
                    failures += 1
sys.exit(1 if failures else 0)
PYTHON
