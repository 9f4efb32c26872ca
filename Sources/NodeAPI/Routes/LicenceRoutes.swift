import Hummingbird
import LedgerCore
import LedgerState
import NodeAPIModel

/// `GET /v1/licences/{id}` and `POST /v1/verify` (the 免证办 counter check);
/// both take `?proof=true` (see `ProofQuery`).
extension APIContext {
    var licenceEndpoints: [Endpoint] {
        [
            Endpoint(.get, "/v1/licences/{id}", extraTime: { request in requestedWait(request) }) {
                (request, parameters) async throws(APIError) -> Response in
                let query = try QueryInput(request, allowed: ProofQuery.parameters)
                let id = try HexInput.licenceID(parameters.text("id"))
                if let proof = try ProofQuery.parse(query, maxWaitMillis: maxWaitMillis) {
                    // What the counter check reads of a licence: it, and who may issue it.
                    return try await proven(proof) { queries throws(LedgerError) in
                        try LedgerStateKey.counterCheck(licence: id, consent: nil, in: queries)
                    }
                }
                let view = try await self.query { queries throws(LedgerError) -> LicenceView? in
                    guard let record = try queries.licence(id) else { return nil }
                    return try LicenceView.load(record, in: queries)
                }
                guard let view else { throw .notFound("no licence \(id.hex)") }
                return JSONResponse.make(view)
            },
            // A holder's licences (ids, types, digests and status; never personal data), as
            // `/v1/licences/{id}` shows each: what a holder picks from when granting consent.
            Endpoint(.get, "/v1/holders/{holderKey}/licences") { (request, parameters) async throws(APIError) -> Response in
                let holder = try HexInput.publicKey(parameters.text("holderKey"), field: "holderKey")
                let query = try QueryInput(request, allowed: ["type", "limit"])
                let limit = try query.limit(default: 100, cap: LedgerQueries.maxPageSize)
                let type = try request.uri.queryParameters["type"].map { text throws(APIError) in try LicenceTypeInput.code(String(text)) }
                let views = try await self.query { queries throws(LedgerError) -> [LicenceView] in
                    var views: [LicenceView] = []
                    for record in try queries.licences(holder: holder, type: type, limit: limit) {
                        views.append(try LicenceView.load(record, in: queries))
                    }
                    return views
                }
                return JSONResponse.make(HolderLicencesView(holder: holder.hex, licences: views))
            },
            Endpoint(.post, "/v1/verify", extraTime: { request in requestedWait(request) }) { (request, _) async throws(APIError) -> Response in
                let query = try QueryInput(request, allowed: ProofQuery.parameters)
                let body = try await JSONBody.decode(VerifyBody.self, from: request, limit: configuration.maxQueryBodyBytes)
                let verification = try body.request()
                // With a consent, who asks matters (see `ConsentAccess`).
                let signer = try verification.consent.map { _ throws(APIError) in try verifier.verify(request) }
                if let proof = try ProofQuery.parse(query, maxWaitMillis: maxWaitMillis) {
                    // Every record the verdict rests on, for the client to judge itself.
                    return try await proven(proof) { queries throws(LedgerError) -> ProvenKeys in
                        if let id = verification.consent, let signer,
                           !(try ConsentAccess.mayProve(signer, grant: try queries.consent(id)?.grant, in: queries)) {
                            return .refused
                        }
                        let licence: LicenceID
                        switch verification.subject {
                        case let .licence(id): licence = id
                        case .holder:
                            guard let found = try queries.verify(verification).licence?.id else { return .keys([]) }
                            licence = found
                        }
                        return .keys(try LedgerStateKey.counterCheck(licence: licence, consent: verification.consent, in: queries))
                    }
                }
                let view = try await self.query { queries throws(LedgerError) -> VerdictView? in
                    if let id = verification.consent, let signer,
                       !(try ConsentAccess.mayCheck(signer, grant: try queries.consent(id)?.grant, asking: verification.office, in: queries)) {
                        return nil
                    }
                    let verdict = try queries.verify(verification)
                    let licence = try verdict.licence.map { record throws(LedgerError) in try LicenceView.load(record, in: queries) }
                    return VerdictView(verdict, licence: licence)
                }
                guard let view else {
                    throw .notHolder("a consent grant is checked only for its holder, or for the office the request names, signing as itself")
                }
                return JSONResponse.make(view)
            },
        ]
    }
}

extension VerifyBody {
    func request() throws(APIError) -> VerificationRequest {
        let subject: VerificationRequest.Subject
        switch (licence, holder, type) {
        case let (licence?, nil, nil):
            subject = .licence(try HexInput.licenceID(licence))
        case let (nil, holder?, type?):
            let key = try HexInput.publicKey(holder, field: "holder")
            subject = .holder(key, try LicenceTypeInput.code(type))
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
