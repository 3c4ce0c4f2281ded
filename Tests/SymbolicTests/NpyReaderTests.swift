import Foundation
import Symbolic
import Testing
import TestSupport

/// `.npy` files written by NumPy itself read back exactly; every malformed or unsupported file
/// gets its own clear error and never a trap.
@Suite struct NpyReaderTests {
    /// Runs `script` with the scratch directory as argv[1] and returns the files it wrote.
    static func numpyFiles(_ script: String) throws -> [String: [UInt8]]? {
        guard try ExternalTools.requirePythonWithNumPy() else { return nil }
        let dir = try ExternalTools.scratchDirectory("npy")
        defer { try? FileManager.default.removeItem(at: dir) }
        let run = try ExternalTools.run("python3", ["-c", "import numpy as np, sys, os\nos.chdir(sys.argv[1])\n" + script, dir.path])
        try #require(run.status == 0, "\(run.stderr)")
        var files: [String: [UInt8]] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) {
            files[name] = Array(try Data(contentsOf: dir.appendingPathComponent(name)))
        }
        return files
    }

    static func message(_ bytes: [UInt8]) -> String {
        do {
            _ = try NpyReader.read(bytes)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func readsWhatNumPyWrites() throws {
        guard let files = try Self.numpyFiles("""
            from numpy.lib import format as fmt
            np.save('w.npy', np.array([[0.1, 0.5], [-0.3, 0.8]]))
            np.save('scalar.npy', np.float64(2.5))
            np.save('empty.npy', np.zeros((0, 3)))
            np.save('cube.npy', np.arange(24, dtype='<f8').reshape(2, 3, 4) / 7)
            np.save('special.npy', np.array([np.nan, -np.inf, -0.0, 5e-324]))
            np.save('sliced.npy', np.arange(12.0).reshape(3, 4)[:, ::2])
            for v in [(2, 0), (3, 0)]:
                with open('v%d.npy' % v[0], 'wb') as f:
                    fmt.write_array(f, np.array([1.0, 2.0, 3.0]), version=v)
            np.save('f32.npy', np.ones(3, dtype=np.float32))
            np.save('i64.npy', np.arange(3))
            np.save('big.npy', np.ones(3, dtype='>f8'))
            np.save('fortran.npy', np.asfortranarray(np.ones((2, 3))))
            """) else { return }
        let w = try NpyReader.read(files["w.npy"] ?? [])
        #expect(w.sizes == [2, 2] && w.scalars == [0.1, 0.5, -0.3, 0.8])
        #expect(try NpyReader.read(files["scalar.npy"] ?? []) == Tensor(scalar: 2.5))
        #expect(try NpyReader.read(files["empty.npy"] ?? []).sizes == [0, 3])
        let cube = try NpyReader.read(files["cube.npy"] ?? [])
        #expect(cube.sizes == [2, 3, 4] && cube.scalars == (0..<24).map { Double($0) / 7 })
        let special = try NpyReader.read(files["special.npy"] ?? []).scalars
        #expect(special[0].isNaN && special[1] == -.infinity && special[2].sign == .minus && special[3] == Double.leastNonzeroMagnitude)
        #expect(try NpyReader.read(files["sliced.npy"] ?? []).scalars == [0, 2, 4, 6, 8, 10])
        #expect(try NpyReader.read(files["v2.npy"] ?? []).scalars == [1, 2, 3])
        #expect(try NpyReader.read(files["v3.npy"] ?? []).scalars == [1, 2, 3])
        #expect(Self.message(files["f32.npy"] ?? []) == "the .npy file holds dtype '<f4' (float32); only float64 little-endian ('<f8') is supported: save it with a.astype('<f8')")
        #expect(Self.message(files["i64.npy"] ?? []).hasPrefix("the .npy file holds dtype '<i8' (int64);"))
        #expect(Self.message(files["big.npy"] ?? []).hasPrefix("the .npy file holds dtype '>f8' (big-endian float64);"))
        #expect(Self.message(files["fortran.npy"] ?? []) == "the .npy file is in Fortran (column-major) order; only C order is supported: save np.ascontiguousarray(a)")
        let whole = files["w.npy"] ?? []
        #expect(Self.message(Array(whole.dropLast(3))) == "the .npy file is truncated: its shape needs 32 bytes of data, it has 29")
        #expect(Self.message(whole + [0]) == "the .npy file has 1 bytes after its data (expected 32 bytes of data)")
    }

    /// A version 1.0 file around a hand-written header, padded as NumPy pads (not required).
    static func file(_ header: String, data: [UInt8] = [], version: UInt8 = 1) -> [UInt8] {
        let h = Array(header.utf8)
        let length = version == 1 ? [UInt8(h.count & 0xFF), UInt8(h.count >> 8)]
                                  : [UInt8(h.count & 0xFF), UInt8((h.count >> 8) & 0xFF), 0, 0]
        return [0x93] + Array("NUMPY".utf8) + [version, 0] + length + h + data
    }

    @Test func handMadeFilesAndErrors() throws {
        let one = withUnsafeBytes(of: (1.5).bitPattern.littleEndian, Array.init)
        #expect(try NpyReader.read(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }\n", data: one)).scalars == [1.5])
        #expect(try NpyReader.read(Self.file("{\"shape\": (), \"descr\": \"<f8\", \"fortran_order\": False}", data: one)) == Tensor(scalar: 1.5))
        #expect(Self.message([]) == "not a .npy file: it does not start with \\x93NUMPY")
        #expect(Self.message(Array("[[1, 2], [3, 4]]".utf8)) == "not a .npy file: it does not start with \\x93NUMPY")
        #expect(Self.message(Array(Self.file("{}").prefix(9))) == "the .npy file is truncated: it ends inside its header")
        #expect(Self.message(Array(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }").dropLast(5))) == "the .npy file is truncated: it ends inside its header")
        #expect(Self.message(Self.file("{}", version: 4)) == ".npy format version 4.0 is not supported (1.0, 2.0 and 3.0 are)")
        #expect(Self.message(Self.file("{'descr': '<f8', 'shape': (1,)}")) == "the .npy header is malformed (missing 'fortran_order'): {'descr': '<f8', 'shape': (1,)}")
        #expect(Self.message(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (1, x)}")).hasPrefix("the .npy header is malformed (shape must be a tuple of integers)"))
        #expect(Self.message(Self.file("{'descr': '<f8', 'fortran_order': maybe, 'shape': (1,)}")).hasPrefix("the .npy header is malformed (fortran_order must be True or False)"))
        #expect(Self.message(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), 'extra': 1}")).hasPrefix("the .npy header is malformed (unknown key 'extra')"))
        #expect(Self.message(Self.file("{'descr: '<f8'")).hasPrefix("the .npy header is malformed"))
        // A shape whose element count overflows or passes the cap is refused before any allocation.
        #expect(Self.message(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (999999999999999999, 999999999999999999)}"))
                == "the .npy shape is refused: shape (999999999999999999,999999999999999999) has too many elements (the limit is 100000000)")
        #expect(Self.message(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999999999999,)}")).hasPrefix("the .npy header is malformed (shape must be a tuple of integers)"))
        #expect(Self.message(Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (100000000,)}")) == "the .npy file is truncated: its shape needs 800000000 bytes of data, it has 0")
        var huge = Self.file("{}", version: 2)
        huge[8...11] = [0xFF, 0xFF, 0xFF, 0x7F]
        #expect(Self.message(huge) == "the .npy header is 2147483647 bytes long (the limit is 65536)")
    }

    /// Every prefix of a valid file is refused with an error (no trap, no hang).
    @Test func everyTruncationIsAnError() {
        let one = withUnsafeBytes(of: (1.5).bitPattern.littleEndian, Array.init)
        let file = Self.file("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }\n", data: one + one)
        #expect((try? NpyReader.read(file))?.scalars == [1.5, 1.5])
        for n in 0..<file.count {
            #expect(throws: NpyError.self) { try NpyReader.read(Array(file.prefix(n))) }
        }
    }
}
