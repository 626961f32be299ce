import Imaging

extension Preprocessing {
    /// EfficientNet-Lite0: short side → 256 (antialiased bilinear), centre crop 224,
    /// `(x − 127) / 128` — the TF Lite training normalisation (`MEAN_RGB = 127`,
    /// `STDDEV_RGB = 128` in tensorflow/tpu `efficientnet_lite_builder.py`), not ImageNet mean/std.
    public static let efficientNetLite0 = efficientNetLite(resolution: 224)

    /// Keras MobileNetV2 (`mobilenet_v2.preprocess_input`): `x / 127.5 − 1`, with the same
    /// geometry as EfficientNet-Lite0 (short side → 256, centre crop 224).
    public static let mobileNetV2 = Preprocessing(
        resizeShortSide: 256, cropSize: 224, mean: SIMD3(repeating: 127.5), std: SIMD3(repeating: 127.5))

    /// EfficientNet-Lite at `resolution`: the short side is resized to `resolution · 256 / 224`
    /// (rounded) and the centre `resolution × resolution` cropped, normalised `(x − 127) / 128`.
    public static func efficientNetLite(resolution: Int) -> Preprocessing {
        Preprocessing(
            resizeShortSide: (resolution * 256 + 112) / 224, cropSize: resolution,
            mean: SIMD3(repeating: 127), std: SIMD3(repeating: 128))
    }
}
