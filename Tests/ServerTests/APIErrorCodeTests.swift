import Classifier
import Server
import Testing

/// Every pipeline error code is also an API code with the same string, and keeps its status
/// class: a new `ClassifierError.Code` without its `APIError.Code` would stop the server at the
/// first such error instead of answering it.
@Suite struct APIErrorCodeTests {
    @Test func everyPipelineCodeHasItsAPICode() {
        for code in ClassifierError.Code.allCases {
            #expect(APIError.Code(rawValue: code.rawValue) != nil, "ClassifierError.Code.\(code) has no APIError.Code \"\(code.rawValue)\"")
        }
        for code in ClassifierError.Code.allCases where APIError.Code(rawValue: code.rawValue) != nil {
            let error = APIError(ClassifierError(code, "test"))
            #expect(error.code.rawValue == code.rawValue)
            #expect((400..<600).contains(error.status.code), "\(code): status \(error.status.code)")
        }
    }
}
