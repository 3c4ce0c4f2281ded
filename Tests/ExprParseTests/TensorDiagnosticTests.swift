import Testing
@testable import ExprParse

/// Every diagnostic of the tensor syntax: exact message, caret and underline.
@Suite("Tensor diagnostics")
struct TensorDiagnosticTests {
    @Test("declared twice")
    func declaredTwice() {
        #expect(rendered("W: (2, 3); W: (3,); W") == """
            input:1:12: error: 'W' is declared twice
            W: (2, 3); W: (3,); W
                       ^
            note: 'W' is first declared at 1:1
            """)
    }

    @Test("declared after its first use")
    func declaredAfterItsFirstUse() {
        #expect(rendered("x + 1; x: (3,); x") == """
            input:1:1: warning: expression result is unused
            x + 1; x: (3,); x
            ^~~~~
            note: only the last statement is the output; name this one, as in 'y = ...'

            input:1:8: error: 'x' is declared after its first use
            x + 1; x: (3,); x
                   ^
            note: 'x' is first used at 1:1; move the declaration before it
            """)
    }

    @Test("declared and assigned")
    func declaredAndAssigned() {
        #expect(rendered("W = 2; W: (2,); W") == """
            input:1:8: error: 'W' is declared as an input but also assigned
            W = 2; W: (2,); W
                   ^
            note: 'W' is assigned at 1:1; an assigned name gets its shape from its value, so remove the declaration or rename one of them
            """)
    }

    @Test("a function or constant cannot be declared")
    func aFunctionOrConstantCannotBeDeclared() {
        #expect(rendered("sin: (3,); 1") == """
            input:1:1: error: cannot declare 'sin': it is a function
            sin: (3,); 1
            ^~~
            """)
    }

    @Test("a dimension name cannot be declared")
    func aDimensionNameCannotBeDeclared() {
        #expect(rendered("N: (); X: (N,); X") == """
            input:1:1: error: 'N' is a dimension name, so it cannot be declared as an input
            N: (); X: (N,); X
            ^
            note: 'N' is a dimension at 1:11; its size comes from the values' shapes
            """)
    }

    @Test("a negative dimension")
    func aNegativeDimension() {
        #expect(rendered("W: (2, -1); W") == """
            input:1:8: error: a dimension must be a non-negative integer or a name, got '-1'
            W: (2, -1); W
                   ^~
            """)
    }

    @Test("a dimension that is an expression")
    func aDimensionThatIsAnExpression() {
        #expect(rendered("W: (2*N, 3); W") == """
            input:1:5: error: a dimension must be a non-negative integer or a name, got '2*N'
            W: (2*N, 3); W
                ^~~
            """)
    }

    @Test("no shape after ':'")
    func noShapeAfter() {
        #expect(rendered("W: float") == """
            input:1:4: error: expected a shape such as (2, 3), or 'int', after ':'
            W: float
               ^~~~~
            note: a declaration gives an input's shape: 'W: (2, 3)', 'x: (3,)', 'b: ()', 'y: int'
            """)
    }

    @Test("a declaration inside an expression")
    func aDeclarationInsideAnExpression() {
        #expect(rendered("x + W: (2,)") == """
            input:1:6: error: unexpected ':'
            x + W: (2,)
                 ^
            note: a declaration such as 'W: (2, 3)' is a statement of its own
            """)
    }

    @Test("an unclosed shape")
    func anUnclosedShape() {
        #expect(rendered("W: (2, N") == """
            input:1:4: error: '(' is never closed
            W: (2, N
               ^
            note: expected ')' before end of input
            """)
    }

    @Test("too many dimensions")
    func tooManyDimensions() {
        #expect(rendered("W: (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1); W") == """
            input:1:4: error: a shape has at most 32 dimensions, this one has 33
            W: (1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1); W
               ^~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
            """)
    }

    @Test("only declarations")
    func onlyDeclarations() {
        #expect(rendered("W: (2, 2)") == """
            input:1:10: error: expected an expression: the program has only declarations
            W: (2, 2)
                     ^
            """)
    }

    @Test("a declared name never used")
    func aDeclaredNameNeverUsed() {
        #expect(rendered("W: (2, 2); b: (); b") == """
            input:1:1: warning: 'W' is declared but never used
            W: (2, 2); b: (); b
            ^~~~~~~~~
            """)
    }

    @Test("unknown keyword with a suggestion")
    func unknownKeywordWithASuggestion() {
        #expect(rendered("sum(x, axes=1)") == """
            input:1:8: error: 'sum' has no keyword argument 'axes'; did you mean 'axis'?
            sum(x, axes=1)
                   ^~~~
            note: 'sum' accepts 'axis=', 'keepdims='
            """)
    }

    @Test("keyword of a function without keywords")
    func keywordOfAFunctionWithoutKeywords() {
        #expect(rendered("norm(x, axis=1)") == """
            input:1:9: error: 'norm' takes no keyword arguments
            norm(x, axis=1)
                    ^~~~~~
            """)
    }

    @Test("keyword of a scalar function")
    func keywordOfAScalarFunction() {
        #expect(rendered("sin(x, axis=1)") == """
            input:1:8: error: 'sin' takes no keyword arguments
            sin(x, axis=1)
                   ^~~~~~
            """)
    }

    @Test("keyword of element-wise max")
    func keywordOfElementWiseMax() {
        #expect(rendered("max(a, b, axis=1)") == """
            input:1:11: error: 'max' of 2 arguments is element-wise and takes no keyword arguments
            max(a, b, axis=1)
                      ^~~~~~
            note: to reduce one array, write 'max(x, axis=...)'
            """)
    }

    @Test("duplicate keyword")
    func duplicateKeyword() {
        #expect(rendered("sum(x, axis=1, axis=0)") == """
            input:1:16: error: keyword argument 'axis' is given twice
            sum(x, axis=1, axis=0)
                           ^~~~~~
            note: first given at 1:8
            """)
    }

    @Test("positional after keyword")
    func positionalAfterKeyword() {
        #expect(rendered("sum(axis=1, x)") == """
            input:1:13: error: positional argument after a keyword argument
            sum(axis=1, x)
                        ^
            note: write keyword arguments last, as in 'sum(x, axis=...)'
            """)
    }

    @Test("keepdims takes a boolean")
    func keepdimsTakesABoolean() {
        #expect(rendered("sum(x, keepdims=1)") == """
            input:1:8: error: 'keepdims' must be true or false, got 1
            sum(x, keepdims=1)
                   ^~~~~~~~~~
            """)
    }

    @Test("axes takes a tuple")
    func axesTakesATuple() {
        #expect(rendered("transpose(x, axes=1)") == """
            input:1:14: error: 'axes' must be a tuple of integers, got 1
            transpose(x, axes=1)
                         ^~~~~~
            """)
    }

    @Test("axis takes integers")
    func axisTakesIntegers() {
        #expect(rendered("sum(x, axis=1.5)") == """
            input:1:13: error: 'axis' takes integers, got '1.5'
            sum(x, axis=1.5)
                        ^~~
            """)
    }

    @Test("a keyword value is not an expression")
    func aKeywordValueIsNotAnExpression() {
        #expect(rendered("sum(x, axis=x+1)") == """
            input:1:13: error: the value of 'axis' must be an integer, true or false, or a tuple of integers, not an expression
            sum(x, axis=x+1)
                        ^~~
            """)
    }

    @Test("a missing keyword value")
    func aMissingKeywordValue() {
        #expect(rendered("sum(x, axis=)") == """
            input:1:12: error: expected the value of 'axis': an integer, true or false, or a tuple of integers
            sum(x, axis=)
                       ^
            """)
    }

    @Test("tensor function arity")
    func tensorFunctionArity() {
        #expect(rendered("sum(x, y)") == """
            input:1:1: error: 'sum' takes 1 argument, got 2
            sum(x, y)
            ^~~~~~~~~
            """)
    }

    @Test("max and min arity")
    func maxAndMinArity() {
        #expect(rendered("max(a, b, c)") == """
            input:1:1: error: 'max' takes 1 argument (to reduce it) or 2 (element-wise), got 3
            max(a, b, c)
            ^~~~~~~~~~~~
            """)
    }

    @Test("reshape needs a shape tuple")
    func reshapeNeedsAShapeTuple() {
        #expect(rendered("reshape(x, y)") == """
            input:1:12: error: the second argument of 'reshape' must be a shape tuple such as (B, -1)
            reshape(x, y)
                       ^
            """)
    }

    @Test("reshape infers at most one dimension")
    func reshapeInfersAtMostOneDimension() {
        #expect(rendered("reshape(x, (2, -1, -1))") == """
            input:1:20: error: only one dimension of 'reshape' can be -1
            reshape(x, (2, -1, -1))
                               ^~
            """)
    }

    @Test("a bad reshape dimension")
    func aBadReshapeDimension() {
        #expect(rendered("reshape(x, (2*3, -1))") == """
            input:1:13: error: a dimension of 'reshape' must be a non-negative integer, a name or -1, got '2*3'
            reshape(x, (2*3, -1))
                        ^~~
            """)
    }

    @Test("only .T")
    func onlyT() {
        #expect(rendered("x.sum") == """
            input:1:2: error: only '.T' is supported, not '.sum'
            x.sum
             ^~~~
            note: '.T' (the transpose) is the only attribute
            note: 'sum' is a function: write 'sum(...)'
            """)
    }

    @Test("nothing after '.'")
    func nothingAfter() {
        #expect(rendered("x.") == """
            input:1:2: error: expected 'T' after '.'
            x.
             ^
            note: '.T' is the only attribute, the transpose
            """)
    }

    @Test("ragged rows")
    func raggedRows() {
        #expect(rendered("[[1, 2], [3, 4], [5]]") == """
            input:1:18: error: ragged array: this row has 1 element, the first row has 2
            [[1, 2], [3, 4], [5]]
                             ^~~
            note: every row of an array must have the same length
            """)
    }

    @Test("a row among values")
    func aRowAmongValues() {
        #expect(rendered("[1, [2, 3]]") == """
            input:1:5: error: ragged array: this element is a row of 2, the first is a single value
            [1, [2, 3]]
                ^~~~~~
            note: every row of an array must have the same length
            """)
    }

    @Test("empty array")
    func emptyArray() {
        #expect(rendered("[]") == """
            input:1:1: error: an array literal needs at least one element
            []
            ^~
            """)
    }

    @Test("empty index")
    func emptyIndex() {
        #expect(rendered("x[]") == """
            input:1:2: error: expected an index between '[' and ']'
            x[]
             ^~
            """)
    }

    @Test("unclosed bracket")
    func unclosedBracket() {
        #expect(rendered("[1, 2") == """
            input:1:1: error: '[' is never closed
            [1, 2
            ^
            note: expected ']' before end of input
            """)
    }

    @Test("unmatched bracket")
    func unmatchedBracket() {
        #expect(rendered("x]") == """
            input:1:2: error: unmatched ']'
            x]
             ^
            """)
    }

    @Test("a bracket closing a parenthesis")
    func aBracketClosingAParenthesis() {
        #expect(rendered("(x]") == """
            input:1:1: error: '(' is never closed
            (x]
            ^
            note: expected ')' before end of input

            input:1:3: error: unmatched ']'
            (x]
              ^
            """)
    }

    @Test("unclosed norm")
    func unclosedNorm() {
        #expect(rendered("||x") == """
            input:1:1: error: '||' is never closed
            ||x
            ^~
            note: expected '||' before end of input
            """)
    }

    @Test("a norm of two expressions")
    func aNormOfTwoExpressions() {
        #expect(rendered("||x, y||") == """
            input:1:4: error: unexpected ','
            ||x, y||
               ^
            note: a norm '||x||' takes one expression
            """)
    }

    @Test("a single bar")
    func aSingleBar() {
        #expect(rendered("x | y") == """
            input:1:3: error: unexpected character '|'
            x | y
              ^
            note: write 'abs(x)' for an absolute value, '||x||' or 'norm(x)' for a norm
            """)
    }

    @Test("array rank limit")
    func arrayRankLimit() {
        #expect(rendered("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]") == """
            input:1:1: error: the array literal has 33 dimensions; at most 32 are supported
            [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]
            ^
            """)
    }
}
