// swift-tools-version:6.2
import PackageDescription

/// Upcoming-feature flags shared by every Swift target (hummingbird does the same).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "plantgate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "plantgated", targets: ["plantgated"]),
        .executable(name: "plantgate", targets: ["plantgate"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.39.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: C libraries (headers only; the only places C is imported)
        .systemLibrary(name: "CModbus", pkgConfig: "libmodbus", providers: [.apt(["libmodbus-dev"])]),
        .systemLibrary(name: "CMosquitto", pkgConfig: "libmosquitto", providers: [.apt(["libmosquitto-dev"])]),

        // MARK: Thin Swift faces of the C libraries
        .target(name: "Modbus", dependencies: ["CModbus"], swiftSettings: swiftSettings),
        .target(name: "MQTT", dependencies: ["CMosquitto"], swiftSettings: swiftSettings),

        // MARK: Pure domain core (no I/O, no C)
        .target(name: "PlantModel", dependencies: [.product(name: "Yams", package: "Yams")], swiftSettings: swiftSettings),
        .target(name: "ESG", dependencies: ["PlantModel"], swiftSettings: swiftSettings),
        /// Sparkplug B 3.0 payloads and state (protobuf code generated once and committed; see Sources/Sparkplug/README.md).
        .target(name: "Sparkplug", dependencies: ["PlantModel", .product(name: "SwiftProtobuf", package: "swift-protobuf")],
                exclude: ["Proto", "README.md"], swiftSettings: swiftSettings),

        /// Tamper-evident ledger: canonical entry bytes, hash chain, signatures, verification (no I/O).
        .target(name: "Ledger", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: swiftSettings),

        /// The auditor's report and the PACT footprint, made from verified ledger entries (no I/O).
        .target(name: "Report", dependencies: ["Ledger", "PlantModel"], swiftSettings: swiftSettings),

        // MARK: Runtime
        .target(
            name: "Gateway",
            dependencies: [
                "Modbus", "MQTT", "PlantModel", "ESG", "Sparkplug", "Ledger",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(name: "Simulator", dependencies: ["Modbus", "PlantModel"], swiftSettings: swiftSettings),

        // MARK: Executables
        .executableTarget(name: "plantgated", dependencies: [
            "Gateway", "PlantModel", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings),
        .executableTarget(name: "plantgate", dependencies: [
            "Gateway", "Simulator", "Modbus", "MQTT", "PlantModel", "Ledger", "Report",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], swiftSettings: swiftSettings),
        .executableTarget(name: "PlantgateBenchmarks", dependencies: [
            "Gateway", "Simulator", "ESG", "PlantModel", "Modbus", "MQTT", "Ledger", .product(name: "Logging", package: "swift-log"),
        ], swiftSettings: swiftSettings),

        // MARK: Tests
        .target(name: "TestSupport", dependencies: ["Modbus", "MQTT"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "ModbusTests", dependencies: ["Modbus", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "MQTTTests", dependencies: ["MQTT", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "PlantModelTests", dependencies: ["PlantModel"], exclude: ["BrokenConfigs"], swiftSettings: swiftSettings),
        .testTarget(name: "ESGTests", dependencies: ["ESG", "PlantModel"], swiftSettings: swiftSettings),
        .testTarget(name: "SparkplugTests", dependencies: ["Sparkplug", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SimulatorTests", dependencies: ["Simulator", "Modbus", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "GatewayTests", dependencies: ["Gateway", "Simulator", "TestSupport", "MQTT", "Modbus", "PlantModel", "ESG", "Ledger", "Sparkplug"], swiftSettings: swiftSettings),
        .testTarget(name: "LedgerTests", dependencies: ["Ledger", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "ReportTests", dependencies: ["Report", "Ledger", "PlantModel"], swiftSettings: swiftSettings),
        .testTarget(name: "CLITests", dependencies: ["TestSupport"], exclude: ["ReportFixtures"], swiftSettings: swiftSettings),
    ]
)
