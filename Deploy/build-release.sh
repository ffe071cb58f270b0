#!/usr/bin/env bash
# Builds programs as the .deb ships them: release, the Swift runtime linked in, and every function of
# every Swift and C module (dependencies included) in an ELF section of its own, so that the release link
# (Package.swift) can lay out the functions plantgated runs together, in the order of Deploy/link-order.txt.
# Without the sections, a module's non-public functions share one section per source file and drag
# their neighbours along; with them, 1.4 MB less of plantgated's code stays resident (docs/performance.md).
#
# The build has a directory of its own, .build-release: the Swift driver does not notice a changed
# -Xfrontend flag, so in a directory that a plain `swift build -c release` used, objects compiled without
# the sections would be linked as they are.
#
#   Deploy/build-release.sh [product ...]     default: plantgated plantgate plantgate-fleet
#   Deploy/build-release.sh --show-bin-path   where the binaries are (.build-release/release)
set -euo pipefail
cd "$(dirname "$0")/.."
flags=(-c release --static-swift-stdlib --scratch-path .build-release
       -Xswiftc -Xfrontend -Xswiftc -function-sections -Xcc -ffunction-sections)
if [ "${1:-}" = --show-bin-path ]; then
    exec swift build "${flags[@]}" --show-bin-path
fi
products=("$@")
[ ${#products[@]} -gt 0 ] || products=(plantgated plantgate plantgate-fleet)
for product in "${products[@]}"; do
    swift build "${flags[@]}" --product "$product"
done
