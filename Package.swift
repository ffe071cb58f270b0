// swift-tools-version:6.2
import PackageDescription

/// Upcoming-feature flags shared by every Swift target (hummingbird does the same).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

/// The shipped programs' release link (docs/performance.md, "Where the memory goes"): lld packs the
/// 105,000 relative relocations into RELR (2.5 MB of `.rela.dyn` read at every start becomes 20 KB), no
/// symbol table is exported for libraries to search (1.5 MB of `.dynstr`/`.dynsym` left unread), and the
/// functions plantgated runs are laid out together, steady state first (`Deploy/link-order.txt`, written
/// by `Deploy/bench/link-order.py`), so the pages the kernel maps around each fault hold code that runs.
/// Start-up peak RSS 38–39 → 27–29 MB and steady RSS 19.7 → 16.4–18.2 MB for a 1,000-register plant.
/// The order reaches single functions only when every module is compiled with one section per function,
/// which flags for dependencies cannot ask here: `Deploy/build-release.sh` passes them, and the .deb is
/// built with it.
let shippedLinkerSettings: [LinkerSetting] = [
    .unsafeFlags(["-use-ld=lld", "-Xlinker", "-z", "-Xlinker", "pack-relative-relocs", "-Xlinker", "--no-export-dynamic",
                  "-Xlinker", "--symbol-ordering-file=\(Context.packageDirectory)/Deploy/link-order.txt",
                  "-Xlinker", "--no-warn-symbol-ordering"],
                 .when(platforms: [.linux], configuration: .release)),
]

let package = Package(
    name: "plantgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plantgated", targets: ["plantgated"]),
        .executable(name: "plantgate", targets: ["plantgate"]),
        .executable(name: "plantgate-fleet", targets: ["plantgate-fleet"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: C libraries (headers, and one C file for libmosquitto; the only places C is imported)
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),
        /// mosquitto_new without the wake-up socket pair an unthreaded client never reads (one C file).
        .target(name: "CMosquittoPair", dependencies: ["CMosquitto"]),
        /// What Glibc's Swift module lacks (malloc_trim, pthread_setname_np, MADV_PAGEOUT); header only.
        .systemLibrary(name: "CPOSIX"),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // MARK: Modbus value types (no C): function codes, register tables, serial settings, RTU framing, errors
        .target(name: "ModbusProtocol", swiftSettings: swiftSettings),

        // MARK: Thin Swift faces of the C libraries
        .target(name: "Modbus", dependencies: ["CModbus", "ModbusProtocol"], swiftSettings: swiftSettings),
        .target(name: "MQTT", dependencies: ["CMosquitto", "CMosquittoPair"], swiftSettings: swiftSettings),
        /// The hand-written system calls (Unix sockets, sd_notify, journal writes, thread names, memory
        /// release) behind one errno-safe call helper.
        .target(name: "POSIX", dependencies: ["CPOSIX"], swiftSettings: swiftSettings),
        /// Read-only sqlite3 for the CLI (the daemon writes through GRDB): the only other place sqlite3 is called.
        .target(name: "SQLite", dependencies: ["CSQLite"], swiftSettings: swiftSettings),

        // MARK: Pure domain core (no I/O, no C)
        .target(name: "PlantModel", dependencies: ["ModbusProtocol", .product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        .target(name: "ESG", dependencies: ["PlantModel"], swiftSettings: swiftSettings),
        /// Sparkplug B 3.0 payloads and state (protobuf code generated once and committed; see Sources/Sparkplug/README.md).
        .target(name: "Sparkplug", dependencies: ["PlantModel", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Proto", "README.md"], swiftSettings: swiftSettings),

        /// Tamper-evident ledger: canonical entry bytes, hash chain, signatures, verification (no I/O).
        .target(name: "Ledger", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),

        /// The auditor's report and the PACT footprint, made from verified ledger entries (no I/O).
        .target(name: "Report", dependencies: ["Ledger", "PlantModel"], swiftSettings: swiftSettings),

        /// The control-socket messages and their coding, shared by the daemon and the CLI (no I/O).
        .target(name: "ControlProtocol", swiftSettings: swiftSettings),

        /// Reads a configuration and the files it names from disk, for the daemon and the CLI (PlantModel reads none).
        .target(name: "ConfigFiles", dependencies: ["PlantModel"], swiftSettings: swiftSettings),

        /// The durable outbox: the SQLite spool of messages waiting for the broker.
        .target(name: "Outbox", dependencies: [
            "MQTT", "PlantModel", .product(name: "GRDB", package: "GRDB.swift"),
        ], swiftSettings: swiftSettings),

        // MARK: Runtime
        .target(
            name: "Gateway",
            dependencies: [
                "Modbus", "ModbusProtocol", "MQTT", "POSIX", "PlantModel", "ConfigFiles", "ESG", "Sparkplug", "Ledger", "ControlProtocol", "Outbox",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "Simulator", dependencies: ["Modbus", "ModbusProtocol", "PlantModel", .product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),

        // MARK: Executables
        .executableTarget(name: "plantgated", dependencies: [
            "Gateway", "ControlProtocol", "PlantModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swiftSettings, linkerSettings: shippedLinkerSettings),
        /// What the command-line programs share: output, exit codes, tables, durations, the runner.
        .target(name: "PlantgateConsole", dependencies: [
            "PlantModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings),
        /// The CLI: no MQTT, no GRDB, no daemon runtime (`CLILinkageTests`).
        .executableTarget(name: "plantgate", dependencies: [
            "ControlProtocol", "PlantgateConsole", "Simulator", "Modbus", "ModbusProtocol", "POSIX", "PlantModel", "ConfigFiles", "Ledger", "ESG", "SQLite", "Report",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings, linkerSettings: shippedLinkerSettings),
        /// `plantgate fleet`, the one CLI command that speaks MQTT: a companion program run by `plantgate fleet`.
        .executableTarget(name: "plantgate-fleet", dependencies: [
            "MQTT", "PlantModel", "PlantgateConsole", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings, linkerSettings: shippedLinkerSettings),
        .executableTarget(name: "PlantgateBenchmarks", dependencies: [
            "Gateway", "Outbox", "ESG", "PlantModel", "Modbus", "MQTT", "Ledger", "POSIX", "TestSupport", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swiftSettings),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["MQTT"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "ModbusTests", dependencies: ["Modbus", "ModbusProtocol", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "POSIXTests", dependencies: ["POSIX", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "MQTTTests", dependencies: ["MQTT", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PlantModelTests", dependencies: ["PlantModel", "ModbusProtocol", "ConfigFiles"], exclude: ["BrokenConfigs"], swiftSettings: swiftSettings),
        .testTarget(name: "ESGTests", dependencies: ["ESG", "PlantModel"], swiftSettings: swiftSettings),
        .testTarget(name: "SparkplugTests", dependencies: [
            "Sparkplug", "PlantModel", "MQTT", "TestSupport", .product(name: "SwiftProtobuf", package: "swift-protobuf"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Modbus", "ModbusProtocol", "PlantModel", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "ControlProtocol", "Outbox", "Simulator", "TestSupport", "MQTT", "Modbus", "ModbusProtocol", "PlantModel", "ESG", "Ledger", "Sparkplug", "POSIX",
            .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swiftSettings),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Ledger", "PlantModel"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport", "Modbus", "ModbusProtocol"], exclude: ["ReportFixtures"], swiftSettings: swiftSettings),
    ]
)
