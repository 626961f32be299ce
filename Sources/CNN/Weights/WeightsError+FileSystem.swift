import FileSupport

extension WeightsError {
    /// A file-system failure while reading weights (`code`) or writing prepared parameters.
    init(_ failure: FileSystemError, code: Code) {
        let hint: String
        switch failure.operation {
        case .open, .inspect: hint = "check the path and its permissions"
        case .map: hint = failure.errorNumber == 0 ? "pass the path of a complete .safetensors file" : "check the address space limits (ulimit -v)"
        case .create, .createDirectory, .rename: hint = "check that the directory exists and is writable"
        case .write, .sync: hint = "check the free space of the file system"
        }
        self.init(code, "\(failure); \(hint)")
    }
}
