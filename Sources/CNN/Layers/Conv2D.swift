/// A 2-D convolution (cross-correlation, as every framework computes it) over NHWC input.
///
/// Weights: `weight` of shape `[kernelHeight, kernelWidth, inputChannels / groups, outputChannels]`
/// (HWIO, Keras's layout); group `g` reads input channels `[g·Cin/G, (g+1)·Cin/G)` and writes
/// output channels `[g·Cout/G, (g+1)·Cout/G)`. A depthwise convolution is `groups == Cin` (with
/// `Cout = Cin · multiplier`, output channel `c · multiplier + m`). Optional `bias` `[Cout]`.
///
/// `y[n, oy, ox, o] = act(bias[o] + Σ_{ky,kx,i} x[n, oy·sy − top + ky·dy, ox·sx − left + kx·dx, g·Cin/G + i] · w[ky, kx, i, o])`
public struct Conv2D: Sendable, Hashable {
    public var outputChannels: Int
    public var kernel: (height: Int, width: Int)
    public var stride: (y: Int, x: Int)
    public var dilation: (y: Int, x: Int)
    public var groups: Int
    public var padding: Padding
    public var hasBias: Bool
    public var activation: Activation

    public init(
        outputChannels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
        dilation: (Int, Int) = (1, 1), groups: Int = 1, padding: Padding = .valid,
        hasBias: Bool = true, activation: Activation = .none
    ) {
        self.outputChannels = outputChannels
        self.kernel = (kernel.0, kernel.1)
        self.stride = (stride.0, stride.1)
        self.dilation = (dilation.0, dilation.1)
        self.groups = groups
        self.padding = padding
        self.hasBias = hasBias
        self.activation = activation
    }

    /// A depthwise convolution over `channels` channels (multiplier 1).
    public static func depthwise(
        channels: Int, kernel: (Int, Int), stride: (Int, Int) = (1, 1),
        dilation: (Int, Int) = (1, 1), padding: Padding = .valid, hasBias: Bool = true,
        activation: Activation = .none
    ) -> Conv2D {
        Conv2D(
            outputChannels: channels, kernel: kernel, stride: stride, dilation: dilation,
            groups: channels, padding: padding, hasBias: hasBias, activation: activation)
    }

    public static func == (a: Conv2D, b: Conv2D) -> Bool {
        a.outputChannels == b.outputChannels && a.kernel == b.kernel && a.stride == b.stride
            && a.dilation == b.dilation && a.groups == b.groups && a.padding == b.padding
            && a.hasBias == b.hasBias && a.activation == b.activation
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(outputChannels)
        hasher.combine(kernel.height)
        hasher.combine(kernel.width)
        hasher.combine(stride.y)
        hasher.combine(stride.x)
        hasher.combine(dilation.y)
        hasher.combine(dilation.x)
        hasher.combine(groups)
        hasher.combine(padding)
        hasher.combine(hasBias)
        hasher.combine(activation)
    }

    func weightShape(inputChannels: Int) -> [Int] {
        [kernel.height, kernel.width, inputChannels / groups, outputChannels]
    }

    func geometry(input: Shape) -> WindowGeometry? {
        WindowGeometry(
            inputHeight: input.height, inputWidth: input.width, kernel: (kernel.height, kernel.width),
            stride: (stride.y, stride.x), dilation: (dilation.y, dilation.x), padding: padding)
    }
}
