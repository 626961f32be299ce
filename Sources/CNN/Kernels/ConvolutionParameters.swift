/// Everything a convolution kernel needs, resolved at plan time: geometry, channel grouping and
/// the weights in HWIO layout `[kh, kw, Cin/G, Cout]` (BatchNorm already folded in when it could be),
/// owned or viewed in a shared prepared-parameters file.
struct ConvolutionParameters: Sendable {
    var geometry: WindowGeometry
    var inputChannels: Int
    var outputChannels: Int
    var groups: Int
    var weights: ParameterStorage
    var epilogue: Epilogue

    var inputChannelsPerGroup: Int { inputChannels / groups }
    var outputChannelsPerGroup: Int { outputChannels / groups }
    var inputSampleCount: Int { geometry.inputHeight * geometry.inputWidth * inputChannels }
    var outputPixelsPerSample: Int { geometry.outputHeight * geometry.outputWidth }
}
