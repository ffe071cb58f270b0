#!/usr/bin/env bash
# Lints every Swift file with `swift format lint` and the repository's .swift-format, and fails on any
# finding of the rules set to true under "rules" there (UseTripleSlashForDocumentationComments,
# NoBlockComments, NoParensAroundConditions, UseShorthandTypeNames, NoLabelsInCasePatterns, ...).
#
# The pretty-printer's layout findings (Indentation, AddLines, RemoveLine, LineLength, Spacing,
# TrailingComma) are not enforced: the code aligns long argument lists and wraps by hand, which the
# formatter would rewrite wholesale. They are counted and printed so a reader sees the distance.
#
# Usage: Deploy/check-format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

findings=$(swift format lint --configuration .swift-format --recursive --parallel Sources Tests Package.swift 2>&1 || true)
layout='\[(Indentation|AddLines|RemoveLine|LineLength|Spacing|TrailingComma)\]'
echo "check-format: $(printf '%s\n' "$findings" | grep -cE "$layout" || true) layout findings (not enforced)"
rules=$(printf '%s\n' "$findings" | grep -E 'warning:|error:' | grep -vE "$layout" || true)
if [ -n "$rules" ]; then
    printf '%s\n' "$rules"
    echo "check-format: $(printf '%s\n' "$rules" | wc -l) findings of enabled rules in .swift-format; fix them (or, for a rule the project gives up, set it to false there)" >&2
    exit 1
fi
echo "check-format: every enabled rule of .swift-format holds"
