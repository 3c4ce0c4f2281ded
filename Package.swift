// swift-tools-version:6.0
// symdiff: symbolic differentiation and gradient-code generation. Toolchain only, no dependencies.
import PackageDescription

let package = Package(
    name: "symdiff",
    products: [
        .executable(name: "symdiff", targets: ["symdiff"]),
        .library(name: "ExprParse", targets: ["ExprParse"]),
        .library(name: "Symbolic", targets: ["Symbolic"]),
        .library(name: "Codegen", targets: ["Codegen"]),
    ],
    targets: [
        .target(name: "ExprParse"),
        .target(name: "Symbolic", dependencies: ["ExprParse"]),
        .target(name: "Codegen", dependencies: ["Symbolic", "ExprParse"]),
        .executableTarget(name: "symdiff", dependencies: ["ExprParse", "Symbolic", "Codegen"],
                         linkerSettings: [.unsafeFlags(["-static-stdlib"], .when(configuration: .release))]),
        .executableTarget(name: "symdiff-bench", dependencies: ["ExprParse", "Symbolic", "Codegen"]),
        .testTarget(name: "ExprParseTests", dependencies: ["ExprParse"]),
        .testTarget(name: "SymbolicTests", dependencies: ["Symbolic", "ExprParse", "TestSupport"]),
        .target(name: "TestSupport", dependencies: ["Symbolic", "Codegen"], path: "Tests/TestSupport"),
        .testTarget(name: "CodegenTests", dependencies: ["Codegen", "Symbolic", "ExprParse", "TestSupport"], exclude: ["Snapshots"]),
        .testTarget(name: "symdiffTests", dependencies: ["ExprParse", "Symbolic", "Codegen"]),
        .testTarget(name: "PropertyTests", dependencies: ["ExprParse", "Symbolic", "Codegen", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
