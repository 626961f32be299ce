import Imaging
import Models

/// An error from validating, decoding, checking or classifying one image, or from choosing a
/// model version.
///
/// `code` is stable and is the `error.code` of the service's JSON errors (its raw value);
/// `message` is for people and says what was wrong and what to do next.
public struct ClassifierError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        /// The request carried no image bytes.
        case emptyBody = "empty_body"
        /// The bytes are neither JPEG nor PNG by their magic bytes.
        case unsupportedType = "unsupported_type"
        /// More bytes than the configured limit.
        case tooLarge = "too_large"
        /// The image header declares more pixels than the configured limit.
        case tooManyPixels = "too_many_pixels"
        /// The bytes look like JPEG/PNG but do not decode (truncated, corrupt).
        case invalidImage = "invalid_image"
        /// The image failed a quality check (blur, size, exposure); the message names which.
        case lowQuality = "low_quality"
        /// Feature squeezing flagged the image as adversarially perturbed (adversarial policy `reject`).
        case adversarialSuspected = "adversarial_suspected"
        /// A model version was asked for that the registry does not hold.
        case unknownModelVersion = "unknown_model_version"
        /// The model failed on an input it should accept (a bug or a broken weights file).
        case inferenceFailed = "inference_failed"
        /// The version votes with the collection's items, and none is registered yet.
        case emptyCollection = "empty_collection"
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code.rawValue): \(message)" }

    /// The service's error for a decoder failure.
    init(decoding error: ImagingError) {
        switch error.code {
        case .emptyInput: self.init(.emptyBody, error.message)
        case .unsupportedFormat: self.init(.unsupportedType, error.message)
        case .tooLarge: self.init(.tooLarge, error.message)
        case .tooManyPixels: self.init(.tooManyPixels, error.message)
        default: self.init(.invalidImage, "The image could not be decoded (\(error.code)): \(error.message)")
        }
    }

    init(model error: ModelError, version: String) {
        self.init(.inferenceFailed, "Model version '\(version)' failed: \(error.message)")
    }
}
