import Hummingbird
import LedgerCore
import LedgerState

/// `GET /v1/licences/{id}` and `POST /v1/verify` (the 免证办 counter check).
extension APIContext {
    var licenceEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/licences/{id}") { (request, parameters) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let id = try HexInput.licenceID(parameters.text("id"))
                let view = try await query { queries throws(LedgerError) -> LicenceView? in
                    guard let record = try queries.licence(id) else { return nil }
                    return try LicenceView.load(record, in: queries)
                }
                guard let view else { throw .notFound("no licence \(id.hex)") }
                return JSONResponse.make(view)
            },
            Endpoint(.post, "/v1/verify") { (request, _) async throws(APIError) -> Response in
                _ = try QueryInput(request, allowed: [])
                let body = try await JSONBody.decode(VerifyBody.self, from: request, limit: configuration.maxQueryBodyBytes)
                let verification = try body.request()
                let view = try await query { queries throws(LedgerError) -> VerdictView in
                    let verdict = try queries.verify(verification)
                    let licence = try verdict.licence.map { record throws(LedgerError) in try LicenceView.load(record, in: queries) }
                    return VerdictView(verdict, licence: licence)
                }
                return JSONResponse.make(view)
            },
        ]
    }
}

/// `POST /v1/verify`'s body: the licence by id, or the holder's key and a
/// type code; the checks to add (document digest, consent with office); and
/// optionally the time to judge validity at.
struct VerifyBody: Decodable, Sendable {
    let licence: String?
    let holder: String?
    let type: String?
    let documentDigest: String?
    let consent: String?
    let office: String?
    let atMillis: UInt64?

    func request() throws(APIError) -> VerificationRequest {
        let subject: VerificationRequest.Subject
        switch (licence, holder, type) {
        case let (licence?, nil, nil):
            subject = .licence(try HexInput.licenceID(licence))
        case let (nil, holder?, type?):
            let key = try HexInput.publicKey(holder, field: "holder")
            let code: LicenceTypeCode
            do { code = try LicenceTypeCode(type) } catch {
                throw .badParameter("type", "a licence type code is 2 to 32 of [A-Z0-9_], starting with a letter")
            }
            subject = .holder(key, code)
        default:
            throw .badParameter("licence", "give either `licence` (an id) or both `holder` and `type`")
        }
        let digest = try documentDigest.map { text throws(APIError) in try HexInput.digest(text, field: "documentDigest") }
        let consentID = try consent.map { text throws(APIError) in try HexInput.consentID(text) }
        let officeID = try office.map { text throws(APIError) -> OfficeID in
            guard let id = OfficeID(text) else { throw .badParameter("office", OfficeID.rule.explanation) }
            return id
        }
        return VerificationRequest(
            subject: subject, presentedDigest: digest, consent: consentID, office: officeID, atMillis: atMillis)
    }
}
