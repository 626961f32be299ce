/// A network as a directed acyclic graph of named nodes, built in topological order.
///
/// Shapes are inferred as nodes are added (per sample, batch 1); a node whose inputs do not fit
/// throws an error that names it. A graph holds no weights: `Network` reads them when it plans
/// the graph.
///
/// ```swift
/// var graph = Graph()
/// let x = try graph.input("image", height: 224, width: 224, channels: 3)
/// let c = try graph.add("stem", .conv2d(Conv2D(outputChannels: 32, kernel: (3, 3), stride: (2, 2), padding: .same)), x)
/// graph.output(c, as: "features")
/// ```
public struct Graph: Sendable {
    /// A handle to a node of this graph.
    public struct NodeID: Hashable, Sendable {
        public let index: Int
    }

    public struct Node: Sendable {
        public let name: String
        /// `nil` for a graph input.
        public let operation: Operation?
        public let inputs: [NodeID]
        /// Per-sample output shape (batch 1).
        public let shape: Shape
    }

    public private(set) var nodes: [Node] = []
    public private(set) var inputs: [NodeID] = []
    public private(set) var outputs: [(name: String, node: NodeID)] = []
    private var indexByName: [String: Int] = [:]

    public init() {}

    public func node(_ id: NodeID) -> Node { nodes[id.index] }

    public func shape(of id: NodeID) -> Shape { nodes[id.index].shape }

    public func node(named name: String) -> NodeID? { indexByName[name].map(NodeID.init) }

    /// Declares an input of `height × width × channels` per sample.
    public mutating func input(_ name: String, height: Int, width: Int, channels: Int) throws(CNNError) -> NodeID {
        let shape = Shape(height: height, width: width, channels: channels)
        guard shape.isPositive else {
            throw CNNError(.invalidShape, layer: name, "Input shape \(shape) must have every dimension ≥ 1.")
        }
        let id = try append(Node(name: name, operation: nil, inputs: [], shape: shape))
        inputs.append(id)
        return id
    }

    /// Adds a node computing `operation` from `inputs`, inferring its shape.
    @discardableResult
    public mutating func add(_ name: String, _ operation: Operation, _ inputs: NodeID...) throws(CNNError) -> NodeID {
        try add(name, operation, inputs: inputs)
    }

    /// Adds a node computing `operation` from `inputs`, inferring its shape.
    @discardableResult
    public mutating func add(_ name: String, _ operation: Operation, inputs: [NodeID]) throws(CNNError) -> NodeID {
        for input in inputs where input.index < 0 || input.index >= nodes.count {
            throw CNNError(.invalidGraph, layer: name, "Input node #\(input.index) does not exist in this graph; add nodes in order.")
        }
        let shape = try ShapeInference.outputShape(
            of: operation, inputs: inputs.map { nodes[$0.index].shape }, layer: name)
        return try append(Node(name: name, operation: operation, inputs: inputs, shape: shape))
    }

    /// Marks `node` as an output readable after `Network.run` under `name`.
    public mutating func output(_ node: NodeID, as name: String) {
        outputs.append((name, node))
    }

    private mutating func append(_ node: Node) throws(CNNError) -> NodeID {
        guard indexByName[node.name] == nil else {
            throw CNNError(.invalidGraph, layer: node.name, "Two nodes are named '\(node.name)'; node names must be unique because weights are looked up by them.")
        }
        let id = NodeID(index: nodes.count)
        indexByName[node.name] = id.index
        nodes.append(node)
        return id
    }
}
