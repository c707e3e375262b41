import Foundation
import Hummingbird
import KithDomain
import KithTestSupport
import Testing

/// For each visibility level, the owner and another member see exactly what they should, in
/// the profile API, the profile page, the directory API, the directory page and search.
@Suite struct PrivacyTests {
    static let secrets = [
        "bio": "Zanzibarbio secret", "location": "Quixotown", "skills": "Xylophonery",
        "affiliations": "Obscurium Institute", "contact": "555-0199",
    ]

    static func owner(_ client: Client, level: String) async throws -> String {
        let token = try await client.register("owner", name: "Olive Owner")
        let patch = """
            {"bio":"\(secrets["bio"]!)","location":"\(secrets["location"]!)","skills":["\(secrets["skills"]!)"],
             "phone":"\(secrets["contact"]!)","headline":"Public headline",
             "visibility":{"bio":"\(level)","location":"\(level)","skills":"\(level)","affiliations":"\(level)","contact":"\(level)"}}
            """
        #expect(try await client.send(.patch, "/api/v1/me/profile", token: token, json: patch).status == 200)
        let affiliation = #"{"kind":"school","organization":"\#(secrets["affiliations"]!)","cohort":"Class of 1999"}"#
        #expect(try await client.send(.post, "/api/v1/me/affiliations", token: token, json: affiliation).status == 201)
        return token
    }

    @Test(arguments: ["community", "connections", "only_me"])
    func anotherMemberSeesOnlyWhatTheLevelAllows(level: String) async throws {
        try await withApp { client, _ in
            let ownerToken = try await Self.owner(client, level: level)
            let strangerToken = try await client.register("stranger")
            let visible = level == "community"
            let strangerSession = try await client.signIn("stranger")

            let profile = try await client.send(.get, "/api/v1/members/owner", token: strangerToken)
            #expect(profile.status == 200)
            for key in ["bio", "location", "skills", "affiliations", "contact"] {
                #expect((profile.json[key] != nil) == visible, "API key \(key) at \(level)")
            }
            let page = try await client.send(.get, "/in/owner", cookies: ["kith_session": strangerSession])
            let directory = try await client.send(.get, "/api/v1/members?q=olive", token: strangerToken)
            let directoryPage = try await client.send(.get, "/directory?q=olive", cookies: ["kith_session": strangerSession])
            #expect(page.text.contains("Public headline"))
            #expect(directoryPage.text.contains("Olive Owner"))
            for (section, secret) in Self.secrets {
                let expected = visible && section != "contact" || (visible && section == "contact")
                #expect(page.text.contains(secret) == expected, "page shows \(section) at \(level)")
                #expect(
                    directory.text.contains(secret) == (visible && ["location", "skills"].contains(section)),
                    "directory \(section) at \(level)"
                )
                #expect(directoryPage.text.contains(secret) == (visible && ["location", "skills"].contains(section)))
            }
            for (query, secret) in [
                ("q=zanzibarbio", "bio"), ("skill=xylophonery", "skills"), ("location=quixotown", "location"),
                ("organization=obscurium%20institute", "affiliations"), ("q=obscurium", "affiliations"),
            ] {
                let hits = try await client.send(.get, "/api/v1/members?\(query)", token: strangerToken).json["items"] as? [Any] ?? []
                #expect(hits.count == (visible ? 1 : 0), "search \(query) for \(secret) at \(level)")
            }

            let own = try await client.send(.get, "/api/v1/members/owner", token: ownerToken)
            for key in ["bio", "location", "skills", "affiliations", "contact", "visibility"] {
                #expect(own.json[key] != nil, "owner sees \(key)")
            }
        }
    }

    @Test(arguments: ["community", "connections", "only_me"])
    func aSignedOutStrangerSeesNothing(level: String) async throws {
        try await withApp { client, _ in
            _ = try await Self.owner(client, level: level)
            for path in ["/api/v1/members/owner", "/api/v1/members?q=olive", "/api/v1/members?skill=xylophonery"] {
                let reply = try await client.send(.get, path)
                #expect(reply.status == 401, "\(path)")
                #expect(!Self.secrets.values.contains { reply.text.contains($0) })
            }
            for path in ["/in/owner", "/directory?q=olive"] {
                let reply = try await client.send(.get, path)
                #expect(reply.status == 302, "\(path) sends a stranger to sign in")
                #expect(!reply.text.contains("Olive"))
            }
            let withBadToken = try await client.send(.get, "/api/v1/members/owner", token: "kith_forged")
            #expect(withBadToken.status == 401)
        }
    }

    @Test func theEmailAddressIsNeverShownToTheCommunityByDefault() async throws {
        try await withApp { client, _ in
            _ = try await client.register("owner")
            let token = try await client.register("stranger")
            let everything = [
                try await client.send(.get, "/api/v1/members/owner", token: token).text,
                try await client.send(.get, "/api/v1/members?q=owner", token: token).text,
                try await client.send(.get, "/in/owner", cookies: ["kith_session": try await client.signIn("stranger")]).text,
            ]
            #expect(everything.allSatisfy { !$0.contains("owner@example.org") })
        }
    }

    @Test func blockedMembersAreNotFoundEverywhere() async throws {
        try await withApp { client, _ in
            let owner = try await client.register("owner")
            let other = try await client.register("stranger")
            #expect(try await client.send(.post, "/api/v1/members/stranger/block", token: owner).status == 204)

            #expect(try await client.send(.get, "/api/v1/members/owner", token: other).status == 404)
            #expect(try await client.send(.get, "/api/v1/members/stranger", token: owner).status == 404)
            let list = try await client.send(.get, "/api/v1/members", token: other).json["items"] as? [[String: Any]] ?? []
            #expect(list.compactMap { $0["handle"] as? String } == ["stranger"])
            let page = try await client.send(.get, "/in/owner", cookies: ["kith_session": try await client.signIn("stranger")])
            #expect(page.status == 404)
        }
    }
}
