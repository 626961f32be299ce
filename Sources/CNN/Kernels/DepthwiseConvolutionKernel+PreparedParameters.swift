extension DepthwiseConvolutionKernel {
    /// The HWIO weights and the zero-filled bias; `NetworkPlanner.bindKernel` passes the bias
    /// back as the convolution's, so the kernel's `init` finds the same values.
    var preparedParameters: [PreparedParameter] {
        [PreparedParameter("weights", parameters.weights), PreparedParameter("bias", ParameterStorage(bias))]
    }
}
