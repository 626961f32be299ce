import CNN

/// libFuzzer entry point: validates the input as a safetensors file (length field, JSON header,
/// tensor table: dtypes, shapes, offsets, overlaps, coverage), then reads every tensor through
/// `WeightReader` (which converts F16/BF16 and checks the values are finite).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSafeTensors(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let file = try? SafeTensorsFile(bytes: bytes) else { return 0 }
    var reader = WeightReader(file)
    for info in file.tensors {
        precondition(info.byteRange.upperBound <= file.byteCount, "tensor \(info.name) lies outside the file")
        if let tensor = try? reader.take(info.name, shape: info.shape) {
            precondition(tensor.scalars.count == info.elementCount, "tensor \(info.name) has the wrong element count")
        }
    }
    _ = try? reader.finish()
    return 0
}
