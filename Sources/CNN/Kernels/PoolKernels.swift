/// Max pooling over windows; padded positions never win.
struct MaxPoolKernel: Kernel {
    let geometry: WindowGeometry
    let channels: Int

    func run(batch: Int, _ io: KernelIO) {
        let g = geometry
        let input = io.input(0)
        let output = io.output
        for n in 0..<batch {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    let out = output + ((n &* g.outputHeight &+ oy) &* g.outputWidth &+ ox) &* channels
                    out.update(repeating: -.infinity, count: channels)
                    for ky in 0..<g.kernelHeight {
                        let iy = oy &* g.strideY &- g.padding.top &+ ky
                        if iy < 0 || iy >= g.inputHeight { continue }
                        for kx in 0..<g.kernelWidth {
                            let ix = ox &* g.strideX &- g.padding.left &+ kx
                            if ix < 0 || ix >= g.inputWidth { continue }
                            let src = input + ((n &* g.inputHeight &+ iy) &* g.inputWidth &+ ix) &* channels
                            for c in 0..<channels { out[c] = max(out[c], src[c]) }
                        }
                    }
                }
            }
        }
    }
}

/// Average pooling over windows, dividing by the valid count (TensorFlow) or by the window area.
struct AvgPoolKernel: Kernel {
    let geometry: WindowGeometry
    let channels: Int
    let countIncludesPadding: Bool

    func run(batch: Int, _ io: KernelIO) {
        let g = geometry
        let input = io.input(0)
        let output = io.output
        for n in 0..<batch {
            for oy in 0..<g.outputHeight {
                for ox in 0..<g.outputWidth {
                    let out = output + ((n &* g.outputHeight &+ oy) &* g.outputWidth &+ ox) &* channels
                    out.update(repeating: 0, count: channels)
                    var valid = 0
                    for ky in 0..<g.kernelHeight {
                        let iy = oy &* g.strideY &- g.padding.top &+ ky
                        if iy < 0 || iy >= g.inputHeight { continue }
                        for kx in 0..<g.kernelWidth {
                            let ix = ox &* g.strideX &- g.padding.left &+ kx
                            if ix < 0 || ix >= g.inputWidth { continue }
                            valid &+= 1
                            let src = input + ((n &* g.inputHeight &+ iy) &* g.inputWidth &+ ix) &* channels
                            for c in 0..<channels { out[c] += src[c] }
                        }
                    }
                    let divisor = countIncludesPadding ? g.kernelHeight * g.kernelWidth : valid
                    let inverse = 1 / Float(divisor)
                    for c in 0..<channels { out[c] *= inverse }
                }
            }
        }
    }
}

/// Mean over height and width per channel: `[N, H, W, C] → [N, 1, 1, C]`.
struct GlobalAvgPoolKernel: Kernel {
    let pixels: Int
    let channels: Int

    func run(batch: Int, _ io: KernelIO) {
        let input = io.input(0)
        let output = io.output
        let inverse = 1 / Float(pixels)
        for n in 0..<batch {
            let out = output + n &* channels
            out.update(repeating: 0, count: channels)
            let sample = input + n &* pixels &* channels
            for p in 0..<pixels {
                let src = sample + p &* channels
                for c in 0..<channels { out[c] += src[c] }
            }
            for c in 0..<channels { out[c] *= inverse }
        }
    }
}
