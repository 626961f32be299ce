import CNN
import Foundation

/// One case of `Tests/Fixtures/layers/manifest.json`: a small graph with inputs, parameters and
/// the outputs numpy computed in float64 (see `generate_layer_fixtures.py`).
struct LayerFixture: Decodable, Sendable, CustomStringConvertible {
    struct Input: Decodable, Sendable { let name: String; let shape: [Int] }
    struct Node: Decodable, Sendable {
        let name: String
        let op: String
        let inputs: [String]
        let config: Config
    }
    struct PaddingSpec: Decodable, Sendable, Hashable {
        let mode: String
        let top, left, bottom, right: Int?
    }
    struct Config: Decodable, Sendable {
        let kernel: [Int]?
        let stride: [Int]?
        let dilation: [Int]?
        let groups: Int?
        let out_channels: Int?
        let padding: PaddingSpec?
        let bias: Bool?
        let activation: String?
        let epsilon: Float?
        let kind: String?
        let count_include_pad: Bool?
        let units: Int?
        let shape: [Int]?
        let rate: Float?
    }
    struct ToleranceSpec: Decodable, Sendable { let abs: Float; let rel: Float }

    let name: String
    let inputs: [Input]
    let nodes: [Node]
    let outputs: [String]
    let tolerance: ToleranceSpec

    var description: String { name }

    struct Manifest: Decodable { let cases: [LayerFixture] }

    static func loadAll() throws -> [LayerFixture] {
        let data = try Data(contentsOf: URL(fileURLWithPath: Fixtures.path("layers", "manifest.json")))
        return try JSONDecoder().decode(Manifest.self, from: data).cases
    }

    static let tensors: SafeTensorsFile = {
        do { return try SafeTensorsFile(contentsOf: Fixtures.path("layers", "tensors.safetensors")) }
        catch { fatalError("Cannot read the layer fixtures: \(error)") }
    }()

    /// Builds the case's graph through the public API.
    func graph() throws -> Graph {
        var graph = Graph()
        var ids: [String: Graph.NodeID] = [:]
        for input in inputs {
            ids[input.name] = try graph.input(input.name, height: input.shape[1], width: input.shape[2], channels: input.shape[3])
        }
        for node in nodes {
            ids[node.name] = try graph.add(node.name, try operation(node), inputs: node.inputs.map { ids[$0]! })
        }
        for output in outputs { graph.output(ids[output]!, as: output) }
        return graph
    }

    /// The case's parameters alone (not its inputs or expected outputs), as a weights file, so the
    /// strict loader's "unused tensor" check applies to them.
    func weights() throws -> SafeTensorsFile {
        var writer = SafeTensorsWriter()
        let prefix = name + "/"
        let inputNames = Set(inputs.map { prefix + $0.name })
        for info in Self.tensors.tensors where info.name.hasPrefix(prefix) {
            if inputNames.contains(info.name) || info.name.hasPrefix(prefix + "expected/") { continue }
            let tensor = try Self.tensors.tensor(info.name)
            writer.add(String(info.name.dropFirst(prefix.count)), shape: info.shape, scalars: tensor.scalars)
        }
        return try SafeTensorsFile(bytes: try writer.bytes())
    }

    func inputTensors() throws -> [Tensor] {
        try inputs.map { input in
            let shape = Shape(batch: input.shape[0], height: input.shape[1], width: input.shape[2], channels: input.shape[3])
            return try Tensor(shape: shape, scalars: try Self.tensors.tensor("\(name)/\(input.name)").scalars)
        }
    }

    func expected(_ output: String) throws -> WeightTensor {
        try Self.tensors.tensor("\(name)/expected/\(output)")
    }

    private func operation(_ node: Node) throws -> CNN.Operation {
        let c = node.config
        func activation(_ name: String?) -> Activation { Activation(rawValue: name ?? "none")! }
        func padding() -> Padding {
            guard let p = c.padding else { return .valid }
            switch p.mode {
            case "valid": return .valid
            case "same": return .same
            default: return .explicit(top: p.top!, left: p.left!, bottom: p.bottom!, right: p.right!)
            }
        }
        switch node.op {
        case "conv2d":
            return .conv2d(Conv2D(
                outputChannels: c.out_channels!, kernel: (c.kernel![0], c.kernel![1]),
                stride: (c.stride![0], c.stride![1]), dilation: (c.dilation![0], c.dilation![1]),
                groups: c.groups!, padding: padding(), hasBias: c.bias!, activation: activation(c.activation)))
        case "batchnorm": return .batchNorm(BatchNorm(epsilon: c.epsilon!))
        case "activation": return .activation(activation(c.kind))
        case "maxpool": return .maxPool(Pool2D(kernel: (c.kernel![0], c.kernel![1]), stride: (c.stride![0], c.stride![1]), padding: padding()))
        case "avgpool":
            return .avgPool(Pool2D(
                kernel: (c.kernel![0], c.kernel![1]), stride: (c.stride![0], c.stride![1]), padding: padding(),
                countIncludesPadding: c.count_include_pad!))
        case "globalavgpool": return .globalAvgPool
        case "dense": return .dense(Dense(units: c.units!, hasBias: c.bias!, activation: activation(c.activation)))
        case "softmax": return .softmax
        case "add": return .add(activation: activation(c.activation))
        case "concat": return .concat
        case "flatten": return .flatten
        case "reshape": return .reshape(height: c.shape![0], width: c.shape![1], channels: c.shape![2])
        case "dropout": return .dropout(rate: c.rate!)
        default: throw FixtureError(message: "Unknown op \(node.op) in case \(name)")
        }
    }
}

struct FixtureError: Error { let message: String }
