#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/targets/*FuzzTarget.swift) against PlantModel, ModbusProtocol and Yams, with
# AddressSanitizer, into .build/fuzz/: config-fuzzer (the config loader) and decoder-fuzzer (the
# register decoder). SwiftPM cannot build one product with -sanitize=fuzzer, so swiftc does it here.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="/opt/swift/usr/bin:$PATH"
out=.build/fuzz
yams=.build/checkouts/Yams/Sources
[ -d "$yams" ] || swift package resolve >/dev/null
mkdir -p "$out/obj"
flags=(-sanitize=fuzzer,address -parse-as-library -Onone -g -I "$out" -I "$yams/CYaml/include" -DSWIFT_PACKAGE -Xcc -DYAML_DECLARE_STATIC)

echo "== CYaml (C)"
for c in "$yams"/CYaml/src/*.c; do
    clang -fsanitize=fuzzer-no-link,address -g -O1 -DYAML_DECLARE_STATIC -I "$yams/CYaml/include" -c "$c" -o "$out/obj/cyaml-$(basename "$c" .c).o"
done
echo "== Yams, ModbusProtocol, PlantModel (Swift)"
swiftc "${flags[@]}" -module-name Yams -emit-module -emit-module-path "$out/Yams.swiftmodule" -wmo -emit-object \
    -o "$out/obj/yams.o" "$yams"/Yams/*.swift
swiftc "${flags[@]}" -module-name ModbusProtocol -emit-module -emit-module-path "$out/ModbusProtocol.swiftmodule" -wmo -emit-object \
    -o "$out/obj/modbusprotocol.o" $(find Sources/ModbusProtocol -name '*.swift')
swiftc "${flags[@]}" -module-name PlantModel -emit-module -emit-module-path "$out/PlantModel.swiftmodule" -wmo -emit-object \
    -o "$out/obj/plantmodel.o" $(find Sources/PlantModel -name '*.swift')
for target in config decoder; do
    echo "== $target-fuzzer"
    source="Fuzz/targets/$(tr '[:lower:]' '[:upper:]' <<< "${target:0:1}")${target:1}FuzzTarget.swift"
    swiftc "${flags[@]}" -module-name "${target^}Fuzz" "$source" "$out"/obj/*.o -o "$out/$target-fuzzer"
done
