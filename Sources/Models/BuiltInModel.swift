import CNN

/// The architectures Colecionador ships, by the names the CLI and the service use.
public enum BuiltInModel: String, Sendable, CaseIterable {
    /// ImageNet-1k classifier, 1280-D pooled features as the embedding. Weights ship in `Weights/`.
    case efficientNetLite0 = "efficientnet-lite0"
    /// The product's original per-collection design: MobileNetV2 + Dense 512 (the embedding) +
    /// classifier. No weights ship; each collection trains its own (pass them explicitly).
    case mobileNetV2 = "mobilenetv2"

    /// The weights file in the `Weights/` directory, when the model ships with weights.
    public var bundledWeightsFile: String? {
        switch self {
        case .efficientNetLite0: "efficientnet-lite0.safetensors"
        case .mobileNetV2: nil
        }
    }

    /// The labels file in the `Weights/` directory, when the model ships with labels.
    public var bundledLabelsFile: String? {
        switch self {
        case .efficientNetLite0: "imagenet-labels.txt"
        case .mobileNetV2: nil
        }
    }

    /// Loads the model from explicit files; `labels` is required for EfficientNet-Lite0 and
    /// optional for MobileNetV2 (default `class 0` … `class N−1`). The prepared parameters are
    /// shared through `preparedCache` when one is given (the CLI and the service pass
    /// `PreparedParameterCache.standard()`, so the instances of a service on one machine map one
    /// copy); without one (the default) they stay in private memory and nothing is written.
    public func load(
        weights: String, labels: String?, preparedCache: PreparedParameterCache? = nil
    ) throws(ModelError) -> ImageModel {
        switch self {
        case .efficientNetLite0:
            guard let labels else {
                throw ModelError(.invalidLabels, "EfficientNet-Lite0 needs a labels file (one label per line); pass Weights/imagenet-labels.txt or your own.")
            }
            return try ImageModel.efficientNetLite0(weights: weights, labels: labels, preparedCache: preparedCache)
        case .mobileNetV2:
            return try ImageModel.mobileNetV2(weights: weights, labels: labels, preparedCache: preparedCache)
        }
    }
}
