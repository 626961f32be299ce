/// The resolved geometry of a sliding window over an NHWC input: everything a convolution or
/// pooling kernel needs to map an output position to input positions.
struct WindowGeometry: Sendable, Hashable {
    var inputHeight: Int
    var inputWidth: Int
    var outputHeight: Int
    var outputWidth: Int
    var kernelHeight: Int
    var kernelWidth: Int
    var strideY: Int
    var strideX: Int
    var dilationY: Int
    var dilationX: Int
    var padding: ResolvedPadding

    /// Resolves `padding` and computes the output size; `nil` when the window does not fit.
    init?(
        inputHeight: Int, inputWidth: Int, kernel: (Int, Int), stride: (Int, Int),
        dilation: (Int, Int), padding: Padding
    ) {
        guard let pad = padding.resolve(
            inputHeight: inputHeight, inputWidth: inputWidth, kernel: kernel, stride: stride,
            dilation: dilation)
        else { return nil }
        let extentY = (kernel.0 - 1) * dilation.0 + 1
        let extentX = (kernel.1 - 1) * dilation.1 + 1
        let paddedH = inputHeight + pad.top + pad.bottom
        let paddedW = inputWidth + pad.left + pad.right
        guard paddedH >= extentY, paddedW >= extentX else { return nil }
        self.inputHeight = inputHeight
        self.inputWidth = inputWidth
        self.outputHeight = (paddedH - extentY) / stride.0 + 1
        self.outputWidth = (paddedW - extentX) / stride.1 + 1
        self.kernelHeight = kernel.0
        self.kernelWidth = kernel.1
        self.strideY = stride.0
        self.strideX = stride.1
        self.dilationY = dilation.0
        self.dilationX = dilation.1
        self.padding = pad
    }
}
