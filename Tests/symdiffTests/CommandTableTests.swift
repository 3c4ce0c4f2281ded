import Testing

/// Invariants of the subcommand table that help and parsing rely on.
@Suite struct CommandTableTests {
    @Test func subcommandsAreExactlyTheDocumentedOnes() {
        #expect(Subcommands.allSpecs.map(\.name)
                == ["parse", "stage", "grad", "emit", "eval", "hessian", "graph", "stats", "check", "shape", "help"])
    }

    @Test(arguments: Subcommands.allSpecs.map(\.name))
    func examplesAndUsageNameTheCommand(name: String) throws {
        let spec = try #require(Subcommands.allSpecs.first { $0.name == name })
        #expect(spec.usage.hasPrefix("symdiff \(name)"))
        for example in spec.examples {
            #expect(example.hasPrefix("symdiff \(name) "), "\(example)")
        }
    }

    @Test(arguments: Subcommands.allSpecs.map(\.name))
    func helpListsEveryOption(name: String) throws {
        let spec = try #require(Subcommands.allSpecs.first { $0.name == name })
        let help = HelpText.help(for: spec)
        for option in spec.options {
            #expect(help.contains("  \(option.helpLabel)  "), "\(option.long)")
        }
    }

    @Test func expressionCommandsShareCommonOptions() {
        for command in Subcommands.all {
            for long in ["--file", "--vars", "--help"] {
                #expect(command.spec.option(spelled: long) != nil, "\(command.spec.name) \(long)")
            }
        }
    }

    @Test func onlyGradAndHessianSpellVarsAsWrt() {
        for command in Subcommands.all {
            #expect((command.spec.option(spelled: "--wrt") != nil) == ["grad", "hessian"].contains(command.spec.name))
        }
    }
}
