import TestSupport
@testable import Codegen
import ExprParse
import Symbolic
import Testing

/// Graphviz output: exact text for the first worksheet, and dot's own parser over every
/// worksheet, the whole execution corpus and names that are DOT keywords.
@Suite struct DOTGraphTests {
    @Test func firstWorksheetWithoutValues() throws {
        let gradient = try Gradient(source: "(x + y)z")
        #expect(DOTGraph(gradient).render() == """
            digraph symdiff {
              rankdir=LR;
              node [fontname=Helvetica];
              edge [fontname=Helvetica];
              n0 [label="x", shape=ellipse, style=filled, fillcolor=lightblue];
              n1 [label="y", shape=ellipse, style=filled, fillcolor=lightblue];
              n2 [label="z", shape=ellipse, style=filled, fillcolor=lightblue];
              n3 [label="a = x + y", shape=box];
              n4 [label="out = a * z", shape=box, peripheries=2];
              n0 -> n3;
              n1 -> n3;
              n3 -> n4;
              n2 -> n4;
            }

            """)
    }

    @Test func firstWorksheetWithValuesAndBackwardEdges() throws {
        let gradient = try Gradient(source: "(x + y)z")
        #expect(DOTGraph(gradient, at: [1, 3, 2], backward: true).render() == #"""
            digraph symdiff {
              rankdir=LR;
              node [fontname=Helvetica];
              edge [fontname=Helvetica];
              n0 [label="x\nvalue 1\ngrad 2", shape=ellipse, style=filled, fillcolor=lightblue];
              n1 [label="y\nvalue 3\ngrad 2", shape=ellipse, style=filled, fillcolor=lightblue];
              n2 [label="z\nvalue 2\ngrad 4", shape=ellipse, style=filled, fillcolor=lightblue];
              n3 [label="a = x + y\nvalue 4\ngrad 2", shape=box];
              n4 [label="out = a * z\nvalue 8\ngrad 1", shape=box, peripheries=2];
              n0 -> n3;
              n1 -> n3;
              n3 -> n4;
              n2 -> n4;
              n4 -> n3 [label="z\nlocal 2", style=dashed, color=red, fontcolor=red, constraint=false];
              n4 -> n2 [label="a\nlocal 4", style=dashed, color=red, fontcolor=red, constraint=false];
              n3 -> n0 [label="1\nlocal 1", style=dashed, color=red, fontcolor=red, constraint=false];
              n3 -> n1 [label="1\nlocal 1", style=dashed, color=red, fontcolor=red, constraint=false];
            }

            """#)
    }

    @Test func backwardEdgesWithoutValues() throws {
        let text = DOTGraph(try Gradient(source: "(x + y)z"), backward: true).render()
        #expect(text.contains(#"  n4 -> n3 [label="z", style=dashed, color=red, fontcolor=red, constraint=false];"#))
        #expect(!text.contains("value"))
    }

    /// Constants are plain text shared by every use; operands whose order matters are numbered.
    @Test func constantsAndArgumentPositions() throws {
        let text = DOTGraph(try Gradient(source: "x = ln(t); y = t^3/3; z = 2x + y")).render()
        #expect(text.contains(#"n1 [label="3", shape=plaintext];"#))
        #expect(text.contains(#"n2 [label="2", shape=plaintext];"#))
        #expect(text.contains(#"n4 [label="a = t^3", shape=box];"#))
        for edge in [#"n0 -> n4 [label="1"];"#, #"n1 -> n4 [label="2"];"#, #"n4 -> n5 [label="1"];"#, #"n1 -> n5 [label="2"];"#,
                     "n2 -> n6;", "n3 -> n6;"] {
            #expect(text.contains("  " + edge), "\(edge)")
        }
    }

    /// An output that is an input or a constant still gets a marked output node.
    @Test func outputThatIsNotAnEquation() throws {
        let input = DOTGraph(try Gradient(source: "x", variables: ["x", "y"]), at: [1, 2]).render()
        #expect(input.contains(#"n2 [label="out = x\nvalue 1\ngrad 1", shape=box, peripheries=2];"#))
        #expect(input.contains("  n0 -> n2;"))
        let constant = DOTGraph(try Gradient(source: "2*pi", variables: ["x"])).render()
        #expect(constant.contains(#"n1 [label="2 * pi", shape=plaintext];"#))
        #expect(constant.contains("  n1 -> n2;"))
    }

    @Test func outputIsDeterministic() throws {
        let source = "ln(x)*sigmoid(sqrt(y))/sigmoid((x+y)^2)"
        let first = DOTGraph(try Gradient(source: source), at: [2, 3], backward: true).render()
        let second = DOTGraph(try Gradient(source: source), at: [2, 3], backward: true).render()
        #expect(first == second)
    }

    @Test func quotingEscapesEverythingDOTReads() {
        #expect(DOTText.quoted(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(DOTText.quoted("one\ntwo\r\nthree\rfour") == #""one\ntwo\nthree\nfour""#)
        #expect(DOTText.quoted(#"\N\G"#) == #""\\N\\G""#)
        #expect(DOTText.number(.nan) == "nan" && DOTText.number(-.infinity) == "-inf" && DOTText.number(0.5) == "0.5")
    }

    /// Every worksheet, drawn plain, with values, and with values and backward edges, is read
    /// by dot without an error or a warning.
    @Test(arguments: Corpus.worksheets.map(\.source)) func everyWorksheetParsesWithDot(source: String) throws {
        guard try ExternalTools.requireDot() else { return }
        guard let c = Corpus.worksheets.first(where: { $0.source == source }) else { return }
        let gradient = try c.gradient()
        let point = c.points[0]
        for (label, graph) in [("plain", DOTGraph(gradient)), ("values", DOTGraph(gradient, at: point)),
                               ("backward", DOTGraph(gradient, at: point, backward: true))] {
            try ExternalTools.checkWithDot(graph.render(), label: "\(source) (\(label))")
        }
    }

    /// The rest of the execution corpus (every function, printing corners, Python and Swift
    /// keywords as names) in one dot run, since dot reads several graphs from one file.
    @Test func wholeCorpusParsesWithDot() throws {
        guard try ExternalTools.requireDot() else { return }
        var text = ""
        for c in Corpus.all { text += DOTGraph(try c.gradient(), at: c.points[0], backward: true).render() }
        try ExternalTools.checkWithDot(text, label: "the corpus")
    }

    /// Variables named after DOT's keywords, in any case, are only ever label text.
    @Test func keywordNamesParseWithDot() throws {
        guard try ExternalTools.requireDot() else { return }
        let source = "digraph*node + sin(edge - subgraph)/graph^strict + Node*NODE - Digraph*GRAPH + n0*n1"
        let gradient = try Gradient(source: source)
        let text = DOTGraph(gradient, at: gradient.staged.inputs.indices.map { 0.5 + Double($0) / 4 }, backward: true).render()
        #expect(text.contains(#"[label="digraph\n"#) && text.contains(#"[label="strict\n"#))
        try ExternalTools.checkWithDot(text, label: source)
        // Generated ids never come from names: the variable n0 is the node n10.
        #expect(text.contains(#"  n10 [label="n0\n"#) && text.contains(#"  n0 [label="digraph\n"#))
    }
}
