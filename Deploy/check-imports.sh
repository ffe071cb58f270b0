#!/usr/bin/env bash
# Checks that every module a Swift file imports is declared in Package.swift as a dependency of the
# file's target (or is the toolchain's: Foundation, Glibc, Testing…). A module reached only through
# another target's dependencies builds today and breaks the day that target drops it.
#
# Also, in the same pass: the pure modules (ModbusProtocol, ControlProtocol, PlantModel, ESG, Ledger) import
# no C face, and PlantModel touches no file.
#
# Usage: Deploy/check-imports.sh   (exit 0: all declared; 1: prints file:line and the missing module)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"

swift package dump-package | python3 -c '
import json, os, re, sys
package = json.load(sys.stdin)
toolchain = {"Foundation", "FoundationEssentials", "Glibc", "Musl", "Darwin", "Dispatch", "Synchronization",
             "Testing", "XCTest", "_Concurrency", "Observation", "RegexBuilder", "Swift"}
# Products of package dependencies: the module names a product brings.
product_modules = {"ArgumentParser": {"ArgumentParser"}, "Logging": {"Logging"}, "Yams": {"Yams"},
                   "GRDB": {"GRDB"}, "SwiftProtobuf": {"SwiftProtobuf"}, "Crypto": {"Crypto"},
                   "ServiceLifecycle": {"ServiceLifecycle"}, "UnixSignals": {"UnixSignals"}}
# The pure modules import no C face, and PlantModel touches no file: callers read, the model parses.
pure = {"ModbusProtocol", "ControlProtocol", "PlantModel", "ESG", "Ledger"}
c_faces = {"CModbus", "CMosquitto", "CMosquittoPair", "CSQLite", "CPOSIX", "Modbus", "MQTT", "SQLite", "POSIX"}
file_access = re.compile(r"contents\(atPath|contentsOfFile|Data\(contentsOf|FileManager|FileHandle|fopen|\bopen\(|\bstat\(")
failures = 0
for target in package["targets"]:
    if target["type"] in ("system", "binary", "plugin"):
        continue
    name = target["name"]
    declared = {name}
    for dependency in target.get("dependencies", []):
        for kind, value in dependency.items():
            if kind == "byName":
                declared.add(value[0])
            elif kind == "product":
                declared |= product_modules.get(value[0], {value[0]})
            elif kind == "target":
                declared.add(value[0])
    path = target.get("path") or os.path.join("Tests" if target["type"] == "test" else "Sources", name)
    excluded = [os.path.join(path, e) for e in target.get("exclude", [])]
    for root, _, files in os.walk(path):
        if any(root.startswith(e) for e in excluded):
            continue
        for file in files:
            if not file.endswith(".swift"):
                continue
            source = os.path.join(root, file)
            in_string = False
            for number, line in enumerate(open(source, encoding="utf-8"), 1):
                # Text inside a multi-line string literal (a Python script in a test) is not an import.
                if line.count(chr(34) * 3) % 2 == 1:
                    in_string = not in_string
                    continue
                if in_string:
                    continue
                # Any attributes (@testable, @_spi(Testing)…) and access level (internal import) before it.
                match = re.match(r"^\s*(?:@\w+(?:\([^)]*\))?\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?import\s+(?:(?:struct|class|enum|func|var|let|typealias|protocol)\s+)?(\w+)", line)
                if match and match.group(1) not in declared and match.group(1) not in toolchain:
                    print(f"{source}:{number}: imports {match.group(1)}, which Package.swift does not declare for target {name}")
                    failures += 1
                if match and name in pure and match.group(1) in c_faces:
                    print(f"{source}:{number}: the pure module {name} imports the C face {match.group(1)}; move that to the caller")
                    failures += 1
                if name == "PlantModel" and file_access.search(line):
                    print(f"{source}:{number}: PlantModel touches a file; callers read (ConfigFiles), the model parses")
                    failures += 1
sys.exit(1 if failures else 0)
'
