import Testing
@testable import Symbolic

/// The pooling and convolution cases random points do not reach: ties (the first maximum,
/// row-major, and a warning), overlapping windows, what padding holds (-inf for max, zeros
/// for average and conv), and configurations refused with the arithmetic.
@Suite struct ConvolutionEdgeTests {
    static func pooled(_ p: Pooling, _ x: Tensor) throws -> TensorEvaluation {
        let gradient = try TensorOpEdgeTests.program([("x", x.shape, false)]) { g, v in
            let pooled = try TensorOpTableTests.op(g, .convolution(.pool(p)), v)
            return try TensorOpTableTests.op(g, .reduction(.sum(axis: nil, keepdims: false)), [pooled])
        }
        return try gradient.evaluate(tensors: [x])
    }

    @Test func maxPoolTieSendsTheGradientToTheFirstMaximumRowMajorAndWarns() throws {
        let x = try Tensor(shape: [2, 2], scalars: [1, 3, 3, 0])
        let result = try Self.pooled(Pooling(kind: .max, spatialAxes: 2, kernel: 2), x)
        #expect(result.value.scalarValue == 3)
        #expect(result.gradient[0]?.scalars == [0, 1, 0, 0])
        #expect(result.kinks.map(\.convention) == ["maxpool2d tie: the gradient goes to the first maximal element of the window (row-major)"])
        // No tie, no warning.
        let distinct = try Self.pooled(Pooling(kind: .max, spatialAxes: 2, kernel: 2), try Tensor(shape: [2, 2], scalars: [1, 3, 2, 0]))
        #expect(distinct.kinks.isEmpty)
        // A 1-D tie: [2, 2] goes to the first.
        let line = try Self.pooled(Pooling(kind: .max, spatialAxes: 1, kernel: 2), Tensor(vector: [2, 2, 0, 1]))
        #expect(line.gradient[0]?.scalars == [1, 0, 0, 1])
        #expect(line.kinks.count == 1)
    }

    @Test func overlappingMaxPoolWindowsAccumulateAtASharedWinner() throws {
        // Windows [1, 5] and [5, 2] share their maximum.
        let result = try Self.pooled(Pooling(kind: .max, spatialAxes: 1, kernel: 2, stride: 1), Tensor(vector: [1, 5, 2]))
        #expect(result.value.scalarValue == 10)
        #expect(result.gradient[0]?.scalars == [0, 2, 0])
    }

    @Test func maxPoolPadsWithMinusInfinityAndAveragePoolWithZeros() throws {
        let x = Tensor(vector: [-3, -1])
        let max = try ConvolutionOp.pool(Pooling(kind: .max, spatialAxes: 1, kernel: 2, pad: 1)).evaluate([x])
        #expect(max.scalars == [-3, -1], "a padded cell never wins")
        let average = try ConvolutionOp.pool(Pooling(kind: .average, spatialAxes: 1, kernel: 2, pad: 1)).evaluate([Tensor(vector: [2, 4])])
        #expect(average.scalars == [1, 2], "padded cells count as zeros in the mean")
        let conv = try ConvolutionOp.conv(Convolution(spatialAxes: 1, pad: 1)).evaluate([Tensor(vector: [1, 2, 3, 4]), Tensor(vector: [1, -1, 2])])
        #expect(conv.scalars == [3, 5, 7, -1], "the worksheet's zero-padded 1-D convolution")
    }

    @Test func worksheetOneDimensionalBackwardPass() throws {
        let gradient = try TensorOpEdgeTests.program([("x", [4], false), ("w", [3], false)]) { g, v in
            try TensorOpTableTests.op(g, .convolution(.conv(Convolution(spatialAxes: 1))), v)
        }
        let result = try gradient.evaluate(tensors: [Tensor(vector: [1, 2, 3, 4]), Tensor(vector: [1, -1, 2])], upstream: Tensor(vector: [1, -2]))
        #expect(result.value.scalars == [5, 7])
        #expect(result.gradient[0]?.scalars == [1, -3, 4, -4])
        #expect(result.gradient[1]?.scalars == [-3, -4, -5])
    }

    /// The identities `stage --backward`'s notes state: the input gradient is the convolution of
    /// the dilated upstream with the flipped filter padded by F - 1 - P, the filter gradient the
    /// convolution of the input with the dilated upstream padded by P.
    @Test func backwardOpsAreTheConvolutionsTheNotesName() throws {
        let (x, w) = (Tensor(vector: [1, -2, 3, 0.5, 2, -1, 4]), Tensor(vector: [2, -1, 3]))
        for (stride, pad) in [(1, 0), (2, 1), (3, 1), (2, 0), (1, 2)] {
            let c = Convolution(spatialAxes: 1, stride: stride, pad: pad)
            let out = try ConvolutionOp.conv(c).evaluate([x, w])
            let g = Tensor(vector: (0..<out.count).map { Double($0 * 2 - 3) })
            var dilated = [Double](repeating: 0, count: (g.count - 1) * stride + 1)
            for (i, v) in g.scalars.enumerated() { dilated[i * stride] = v }
            let flipped = Tensor(vector: w.scalars.reversed())
            let dx = try ConvolutionOp.inputGrad(c).evaluate([g, w])
            let viaConv = try ConvolutionOp.conv(Convolution(spatialAxes: 1, pad: 3 - 1 - pad)).evaluate([Tensor(vector: dilated), flipped])
            #expect(dx.scalars == viaConv.scalars, "stride \(stride), pad \(pad)")
            let dw = try ConvolutionOp.filterGrad(c).evaluate([x, g])
            let viaCorrelation = try ConvolutionOp.conv(Convolution(spatialAxes: 1, pad: pad)).evaluate([x, Tensor(vector: dilated)])
            #expect(dw.scalars == viaCorrelation.scalars, "stride \(stride), pad \(pad)")
        }
    }

    @Test func invalidConfigurationsAreRefusedWithTheArithmetic() {
        func error(_ op: ConvolutionOp, _ shapes: [TensorShape]) -> String {
            do { _ = try op.shape(shapes); return "accepted" } catch { return error.description }
        }
        #expect(error(.conv(Convolution(spatialAxes: 2, stride: 2)), [[32, 32], [5, 5]])
                == "conv2d: (32 - 5 + 2*0)/2 + 1 = 14.5 is not an integer")
        #expect(error(.conv(Convolution(spatialAxes: 2, stride: 2, pad: 3)), [[1, 3, 32, 32], [10, 3, 5, 5]])
                == "conv2d: (32 - 5 + 2*3)/2 + 1 = 17.5 is not an integer")
        #expect(error(.conv(Convolution(spatialAxes: 1)), [[3], [5]])
                == "conv1d: the window (5) is larger than the padded input (3 + 2*0 = 3)")
        #expect(error(.conv(Convolution(spatialAxes: 2)), [[1, 3, 8, 8], [4, 2, 3, 3]])
                == "conv2d: shapes (1,3,8,8) and (4,2,3,3) do not match")
        #expect(error(.conv(Convolution(spatialAxes: 2)), [[8, 8], [1, 1, 3, 3]])
                == "conv2d expects a matrix with a matrix, or (N, C, H, W) with (K, C, F, F), got shape (1,1,3,3)")
        #expect(error(.pool(Pooling(kind: .max, spatialAxes: 2, kernel: 2, pad: 2)), [[6, 6]])
                == "maxpool2d: padding 2 is more than half the window 2")
        #expect(error(.pool(Pooling(kind: .max, spatialAxes: 2, kernel: 2)), [[5, 5]])
                == "maxpool2d: (5 - 2 + 2*0)/2 + 1 = 2.5 is not an integer")
        // A quotient without a finite decimal is a fraction, never a rounded decimal.
        #expect(error(.pool(Pooling(kind: .max, spatialAxes: 1, kernel: 3, stride: 3, pad: 1)), [[8]])
                == "maxpool1d: (8 - 3 + 2*1)/3 + 1 = 10/3 is not an integer")
        #expect(error(.conv(Convolution(spatialAxes: 2)), [TensorShape([.fixed(1), .fixed(1), .named("H"), .fixed(4)]), [1, 1, 2, 2]])
                .hasPrefix("conv2d expects fixed sizes on the spatial axes"))
    }
}
