import Foundation
import Testing

/// The databases every HTTP suite runs against: SQLite always; PostgreSQL when
/// `COLECIONADOR_TEST_POSTGRES_URL` is set, and always under CI (`CI=true`), where a missing
/// server makes the suite fail rather than silently run SQLite alone.
enum ServiceSuites {
    static let databases: [String] =
        ["sqlite"] + (TestEnvironment.postgresURL != nil || TestEnvironment.postgresRequired ? ["postgresql"] : [])
}
