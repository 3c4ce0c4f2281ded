import TestSupport
import Codegen
import Foundation
import Symbolic
import Testing

/// Proof by execution: every corpus case in both styles, run by one Python interpreter on
/// floats, on arrays, and on a scalar broadcast against arrays.
@Suite struct NumPyExecutionTests {
    /// The driver: defines every function, evaluates them, prints JSON. Numbers travel as
    /// `repr` strings so that inf and nan survive (JSON has neither).
    static let harness = """
        import json
        import numpy as np


        def rows(results, n):
            return [[repr(float(np.broadcast_to(v, (n,))[j])) for v in results] for j in range(n)]


        report = {}
        for key, fn, points in CASES:
            record = {"scalar": [[repr(float(v)) for v in fn(*p)] for p in points]}
            n = len(points)
            columns = [np.array([p[i] for p in points]) for i in range(len(points[0]))]
            results = fn(*columns)
            record["array_shapes"] = [list(np.shape(v)) for v in results]
            record["array"] = rows(results, n)
            if len(columns) >= 2:
                results = fn(float(points[0][0]), *columns[1:])
                record["broadcast_shapes"] = [list(np.shape(v)) for v in results]
                record["broadcast"] = rows(results, n)
            report[key] = record
        print(json.dumps(report))
        """

    @Test func everyCaseRunsInOneInterpreter() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let entries = try Batch.entries(.numpy)
        let directory = try ExternalTools.scratchDirectory("numpy")
        defer { try? FileManager.default.removeItem(at: directory) }

        var script = ""
        var table = "CASES = [\n"
        for entry in entries {
            script += entry.code.text + "\n\n"
            let points = entry.testCase.points.map { "[" + $0.map { "\($0)" }.joined(separator: ", ") + "]" }
            table += "    (\"\(entry.key)\", \(entry.key), [\(points.joined(separator: ", "))]),\n"
        }
        script += table + "]\n\n" + NumPyExecutionTests.harness + "\n"
        let scriptURL = directory.appendingPathComponent("batch.py")
        try script.write(to: scriptURL, atomically: true, encoding: .utf8)

        let started = Date()
        let run = try ExternalTools.run("python3", [scriptURL.path])
        let elapsed = Date().timeIntervalSince(started)
        print("NumPy batch: \(entries.count) functions, python3 ran in \(String(format: "%.2f", elapsed)) s")
        try #require(run.status == 0, "python3 failed:\n\(run.stderr)")
        let report = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: [String: Any]])

        var oracle = Oracle()
        for entry in entries {
            guard let record = report[entry.key] else { oracle.fail("\(entry.key): no result"); continue }
            let points = entry.testCase.points
            compare(&oracle, entry, "floats", points: points, rows: record["scalar"])
            compare(&oracle, entry, "arrays", points: points, rows: record["array"])
            checkShapes(&oracle, entry, "arrays", record["array_shapes"], count: points.count)
            if record["broadcast"] != nil {
                let broadcastPoints = points.map { [points[0][0]] + $0.dropFirst() }
                compare(&oracle, entry, "broadcast", points: broadcastPoints, rows: record["broadcast"])
                checkShapes(&oracle, entry, "broadcast", record["broadcast_shapes"], count: points.count)
            }
        }
        print("NumPy batch: \(oracle.comparisons) comparisons")
        #expect(oracle.summary == nil, "\(oracle.summary ?? "")")
    }

    @Test func everyEmittedFileCompiles() throws {
        guard try ExternalTools.requirePythonWithNumPy() else { return }
        let directory = try ExternalTools.scratchDirectory("pycompile")
        defer { try? FileManager.default.removeItem(at: directory) }
        var paths: [String] = []
        for entry in try Batch.entries(.numpy) {
            let url = directory.appendingPathComponent("\(entry.key).py")
            try entry.code.text.write(to: url, atomically: true, encoding: .utf8)
            paths.append(url.path)
        }
        let run = try ExternalTools.run("python3", ["-m", "py_compile"] + paths)
        #expect(run.status == 0, "py_compile failed:\n\(run.stderr)")
    }

    private func compare(_ oracle: inout Oracle, _ entry: BatchEntry, _ label: String, points: [[Double]], rows: Any?) {
        guard let rows = rows as? [[String]], rows.count == points.count else {
            oracle.fail("\(entry.key) \(label): malformed result rows")
            return
        }
        for (point, row) in zip(points, rows) {
            oracle.check(entry, label, point: point, got: row.map { Double($0) ?? .nan })
        }
    }

    /// Every result must have the broadcast shape `(n,)`: the seed gives every adjoint the
    /// value's shape, and zeros are broadcast too (see `BatchEntry.mayStayScalar` for the
    /// exceptions).
    private func checkShapes(_ oracle: inout Oracle, _ entry: BatchEntry, _ label: String, _ shapes: Any?, count: Int) {
        guard let shapes = shapes as? [[Int]] else { oracle.fail("\(entry.key) \(label): no shapes"); return }
        for (index, shape) in shapes.enumerated() where shape != [count] && !(entry.mayStayScalar && shape == []) {
            oracle.fail("\(entry.key) [\(entry.testCase.source)] \(label): result \(index) has shape \(shape), expected [\(count)]")
        }
    }
}
