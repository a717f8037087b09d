// swift-tools-version: 6.2
import PackageDescription

/// Strict settings on every target, as swift-log does: existential `any`, explicit imports, imports
/// internal unless a public signature needs them, and every warning an error.
let strict: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .treatAllWarnings(as: .error),
]

let package = Package(
    name: "fundflow",
    products: [
        .executable(name: "fundflow", targets: ["fundflow"]),
        .library(name: "FundflowCore", targets: ["FundflowCore"]),
        .library(name: "FundflowEngine", targets: ["FundflowEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(name: "FundflowCore", swiftSettings: strict),
        .target(
            name: "FundflowFormats", dependencies: ["FundflowCore", "CLibXML2"],
            swiftSettings: strict),
        .target(
            name: "FundflowStore",
            dependencies: ["FundflowCore", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict),
        .target(
            name: "FundflowEngine",
            dependencies: [
                "FundflowCore", "FundflowFormats", "FundflowStore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strict),
        .target(
            name: "FundflowShell",
            dependencies: [
                "FundflowEngine", "FundflowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict),
        .systemLibrary(name: "CEditLine", pkgConfig: "libedit", providers: [.apt(["libedit-dev"])]),
        // libxml2's streaming reader: pain.001 files beyond the 10 MB FoundationXML's push parser
        // refuses ("huge input lookup"), read with XML_PARSE_HUGE.
        .systemLibrary(
            name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
        .executableTarget(
            name: "fundflow", dependencies: ["FundflowShell", "CEditLine"], swiftSettings: strict),
        .testTarget(
            name: "FundflowCoreTests", dependencies: ["FundflowCore"], exclude: ["Golden"],
            swiftSettings: strict),
        .testTarget(
            name: "FundflowEngineTests",
            dependencies: [
                "FundflowEngine", "FundflowStore", "FundflowFormats", "FundflowCore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: ["Formats/Fixtures"],
            swiftSettings: strict),
        .testTarget(
            name: "FundflowShellTests",
            dependencies: [
                "FundflowShell", "FundflowEngine", "FundflowCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            exclude: ["Snapshots"],
            swiftSettings: strict),
    ]
)
