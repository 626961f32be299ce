import FileSupport

extension Network {
    /// Bytes of the parameters the fast kernels prepared (weights, packed panels, biases,
    /// scales): `shared` are views into a prepared-parameters file mapping, `private` live in
    /// this process's memory (all of them without a cache; the small vectors with one).
    public var preparedParameterBytes: (shared: Int, private: Int) {
        var shared = 0
        var owned = 0
        for step in plan.steps {
            for parameter in step.kernel.preparedParameters {
                let bytes = parameter.values.count * MemoryLayout<Float>.stride
                if parameter.values.isShared { shared += bytes } else { owned += bytes }
            }
        }
        return (shared, owned)
    }

    /// Plans `graph` like `init(graph:weights:prefix:naming:options:)`, sharing the prepared
    /// parameters through `cache` (see `PreparedParameterCache`):
    ///
    /// - a valid file for this exact key is mapped and the kernels are bound to it: no folding,
    ///   no packing, no private copy of the large parameters;
    /// - otherwise (missing, truncated, corrupt, written for another key, or not fitting the
    ///   plan) the graph is planned normally — with every check of the weights — the file is
    ///   written (temporary file + atomic rename; readers never see a partial file) and mapped;
    /// - when it cannot be written (read-only or missing directory, full disk) the network keeps
    ///   its parameters in private memory; `preparedParameters` says why. That is not an error.
    ///
    /// Reference plans (`PlanOptions.reference`) are not cached. Errors are those of the weights
    /// and graph, as without a cache.
    /// - Parameter name: the model's name, the start of the file name (e.g. `efficientnet-lite0`).
    public init(
        graph: Graph, weights: SafeTensorsFile, prefix: String = "", naming: ParameterNaming = .dotted,
        options: PlanOptions = PlanOptions(), preparedIn cache: PreparedParameterCache, name: String
    ) throws(CNNError) {
        guard options.kernels == .fast else {
            try self.init(graph: graph, weights: weights, prefix: prefix, naming: naming, options: options)
            return
        }
        func plan(_ prepared: PreparedParameterFile?) throws(CNNError) -> Plan {
            var planner = NetworkPlanner(
                graph: graph, weights: WeightReader(weights, prefix: prefix), naming: naming, options: options, prepared: prepared)
            return Plan(try planner.plan())
        }
        let key = PreparedParameterKey(weights: weights, prefix: prefix, name: name, graph: graph, naming: naming, options: options)
        let path = cache.path(name: name, key: key)

        var rejection: String?
        if AtomicFile.exists(path) {
            do {
                let file = try PreparedParameterFile(contentsOf: path, key: key.text)
                do {
                    self.init(graph: graph, options: options, plan: try plan(file), preparedParameters: .mapped(path: path, written: false, replaced: nil))
                    return
                } catch {
                    rejection = "\(path) does not fit the plan: \(error.message)"
                }
            } catch {
                rejection = error.message
            }
        }

        let planned = try plan(nil)
        let parameters = planned.steps.flatMap { step in
            step.kernel.preparedParameters.map { (name: "\(step.name)/\($0.role)", values: $0.values) }
        }
        do {
            try AtomicFile.createDirectories(cache.directory)
            try AtomicFile.write(PreparedParameterFile.bytes(parameters, key: key.text), to: path)
        } catch {
            let reason = "cannot write \(path) (\(error)); make the directory writable or point the cache elsewhere to share the parameters between processes"
            self.init(graph: graph, options: options, plan: planned, preparedParameters: .privateMemory(reason: reason))
            return
        }
        do {
            let file = try PreparedParameterFile(contentsOf: path, key: key.text)
            self.init(graph: graph, options: options, plan: try plan(file), preparedParameters: .mapped(path: path, written: true, replaced: rejection))
        } catch {
            let reason = "the file just written to \(path) could not be used (\(error)); report this as a bug"
            self.init(graph: graph, options: options, plan: planned, preparedParameters: .privateMemory(reason: reason))
        }
    }
}
