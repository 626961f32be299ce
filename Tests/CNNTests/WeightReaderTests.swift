import CNN
import Testing

/// Strict consumption: presence, shape, dtype, finiteness, and nothing left over.
@Suite struct WeightReaderTests {
    private func file(_ build: (inout SafeTensorsWriter) -> Void) throws -> SafeTensorsFile {
        var writer = SafeTensorsWriter()
        build(&writer)
        return try SafeTensorsFile(bytes: writer.bytes())
    }

    private func standardFile() throws -> SafeTensorsFile {
        try file { writer in
            writer.add("backbone.conv.weight", shape: [3, 3, 2, 4], scalars: (0..<72).map(Float.init))
            writer.add("backbone.conv.bias", shape: [4], scalars: [1, 2, 3, 4])
            writer.add("backbone.bn.scale", shape: [4], scalars: [1, 1, 1, 1], dtype: .f16)
            writer.add("head.weight", shape: [4, 10], scalars: [Float](repeating: 0.5, count: 40), dtype: .bf16)
        }
    }

    @Test func takingEveryTensorFinishes() throws {
        var reader = WeightReader(try standardFile())
        let weight = try reader.take("backbone.conv.weight", shape: [3, 3, 2, 4])
        #expect(weight.shape == [3, 3, 2, 4])
        #expect(weight.scalars == (0..<72).map(Float.init))
        #expect(try reader.take("backbone.conv.bias", shape: [4]).scalars == [1, 2, 3, 4])
        #expect(try reader.take("backbone.bn.scale", shape: [4]).scalars == [1, 1, 1, 1])
        #expect(reader.untakenNames == ["head.weight"])
        #expect(try reader.take("head.weight", shape: [4, 10]).scalars == [Float](repeating: 0.5, count: 40))
        #expect(reader.untakenNames.isEmpty)
        try reader.finish()
    }

    @Test func missingTensorListsSimilarNames() throws {
        var reader = WeightReader(try standardFile())
        do {
            _ = try reader.take("backbone.conv.wieght", shape: [3, 3, 2, 4])
            Issue.record("a missing tensor was taken")
        } catch {
            #expect(error.code == .missingTensor)
            #expect(error.tensor == "backbone.conv.wieght")
            #expect(error.message.contains("'backbone.conv.weight'"))
            #expect(!error.message.contains("'head.weight'"))
        }
    }

    @Test func missingTensorSuggestsAtMostFive() throws {
        let crowded = try file { writer in
            for index in 0..<9 { writer.add("layer\(index).weight", shape: [1], scalars: [1]) }
        }
        do {
            _ = try crowded.tensor("layerX.weight")
            Issue.record("a missing tensor was found")
        } catch {
            #expect(error.code == .missingTensor)
            let suggested = (0..<9).filter { error.message.contains("'layer\($0).weight'") }
            #expect(suggested == [0, 1, 2, 3, 4])
        }
    }

    @Test func missingPrefixIsSuggested() throws {
        var reader = WeightReader(try standardFile())
        do {
            _ = try reader.take("conv.bias", shape: [4])
            Issue.record("a missing tensor was taken")
        } catch {
            #expect(error.code == .missingTensor)
            #expect(error.message.contains("'backbone.conv.bias'"))
        }
    }

    @Test func wrongShapeNamesExpectedAndActual() throws {
        var reader = WeightReader(try standardFile())
        do {
            _ = try reader.take("backbone.conv.weight", shape: [4, 2, 3, 3])
            Issue.record("a tensor of the wrong shape was taken")
        } catch {
            #expect(error.code == .shapeMismatch)
            #expect(error.tensor == "backbone.conv.weight")
            #expect(error.message.contains("[3, 3, 2, 4]"))
            #expect(error.message.contains("[4, 2, 3, 3]"))
            #expect(error.message.contains("permutation"))
        }
        do {
            _ = try reader.take("backbone.conv.bias", shape: [5])
            Issue.record("a tensor of the wrong shape was taken")
        } catch {
            #expect(error.code == .shapeMismatch)
            #expect(!error.message.contains("permutation"))
        }
    }

    @Test func requiredDTypeIsChecked() throws {
        var reader = WeightReader(try standardFile())
        #expect(try reader.take("backbone.conv.bias", shape: [4], dtype: .f32).count == 4)
        do {
            _ = try reader.take("backbone.bn.scale", shape: [4], dtype: .f32)
            Issue.record("an F16 tensor passed as F32")
        } catch {
            #expect(error.code == .dtypeMismatch)
            #expect(error.tensor == "backbone.bn.scale")
            #expect(error.message.contains("F16"))
        }
    }

    @Test func unusedTensorsAreAllNamed() throws {
        var reader = WeightReader(try standardFile())
        _ = try reader.take("backbone.conv.weight", shape: [3, 3, 2, 4])
        do {
            try reader.finish()
            Issue.record("finish accepted unused tensors")
        } catch {
            #expect(error.code == .unusedTensors)
            for name in ["backbone.conv.bias", "backbone.bn.scale", "head.weight"] {
                #expect(error.message.contains("'\(name)'"))
            }
            #expect(!error.message.contains("'backbone.conv.weight'"))
        }
    }

    @Test func prefixScopesNamesAndFinish() throws {
        let file = try standardFile()
        var reader = WeightReader(file, prefix: "backbone.")
        #expect(reader.fullName("conv.bias") == "backbone.conv.bias")
        _ = try reader.take("conv.weight", shape: [3, 3, 2, 4])
        _ = try reader.take("conv.bias", shape: [4])
        do {
            try reader.finish()
            Issue.record("finish accepted an unused tensor under the prefix")
        } catch {
            #expect(error.code == .unusedTensors)
            #expect(error.tensor == "backbone.bn.scale")
            #expect(!error.message.contains("head.weight"))
        }
        _ = try reader.take("bn.scale", shape: [4])
        try reader.finish()

        var head = WeightReader(file, prefix: "head.")
        _ = try head.take("weight", shape: [4, 10])
        try head.finish()
    }

    @Test func prefixIsPrependedVerbatim() throws {
        let file = try file { writer in
            writer.add("model/block1/w", shape: [1], scalars: [1])
            writer.add("model/block10/w", shape: [1], scalars: [2])
            writer.add("other/w", shape: [1], scalars: [3])
        }
        var block = WeightReader(file, prefix: "model/block1/")
        #expect(try block.take("w", shape: [1]).scalars == [1])
        try block.finish()

        var model = WeightReader(file, prefix: "model/")
        _ = try model.take("block1/w", shape: [1])
        #expect(model.untakenNames == ["model/block10/w"])
        _ = try model.take("block10/w", shape: [1])
        try model.finish()
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteWeightsAreRejectedByTake(bad: Float) throws {
        let file = try file { writer in
            writer.add("w", shape: [2, 3], scalars: [0, 1, 2, bad, 4, bad])
        }
        var reader = WeightReader(file)
        do {
            _ = try reader.take("w", shape: [2, 3])
            Issue.record("a non-finite weight was taken")
        } catch {
            #expect(error.code == .nonFiniteValues)
            #expect(error.tensor == "w")
            #expect(error.message.contains("2 NaN or infinite"))
            #expect(error.message.contains("flat index 3"))
        }
        #expect(try file.tensor("w").scalars[3].isFinite == false)
    }

    @Test func halfPrecisionOverflowIsCaughtAtTake() throws {
        let file = try file { writer in
            writer.add("w", shape: [2], scalars: [1, 70000], dtype: .f16)
        }
        var reader = WeightReader(file)
        #expect(throws: WeightsError.self) { _ = try reader.take("w", shape: [2]) }
    }
}
