import Testing

/// `parseAssignments`, the splitter behind `--at x=1,y=pi/2`.
@Suite struct AssignmentsTests {
    private func pairs(_ text: String) throws -> [String] {
        try parseAssignments(text).map { "\($0.name)=\($0.valueText)" }
    }

    @Test func splitsAtTopLevelCommasOnly() throws {
        #expect(try pairs("x=1,y=3,z=2") == ["x=1", "y=3", "z=2"])
        #expect(try pairs("x=max(1,2),y=pi/2") == ["x=max(1,2)", "y=pi/2"])
        #expect(try pairs(" x = -1 , θ=2e-3") == ["x=-1", "θ=2e-3"])
        #expect(try pairs("x=a=b") == ["x=a=b"])
    }

    @Test(arguments: [
        ("x", "expected NAME=VALUE, got 'x'"),
        ("=1", "missing variable name before '=' in '=1'"),
        ("x=", "missing value for 'x' in 'x='"),
        ("1x=2", "'1x' is not a variable name (in '1x=2')"),
        ("x=1,x=2", "variable 'x' is given more than once in 'x=1,x=2'"),
        ("x=1,", "empty assignment in 'x=1,'; expected NAME=VALUE,NAME=VALUE"),
        ("x=max(1,2", "unbalanced brackets in 'x=max(1,2'"),
        ("x=1),y=(2", "unbalanced brackets in 'x=1),y=(2'"),
    ])
    func rejects(text: String, message: String) {
        #expect(throws: CLIError.usage(message)) { try parseAssignments(text) }
    }
}
