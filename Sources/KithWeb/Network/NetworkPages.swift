import Foundation
import KithDomain
import Plot

/// My network: requests waiting for me, requests I sent, and my connections.
struct NetworkPage {
    let chrome: PageChrome
    let firstDegree: Int
    let secondDegree: Int
    let incoming: [RequestView]
    let outgoing: [RequestView]
    let connections: Page<MemberSummary>

    func document() -> HTML {
        Layout.page(
            title: "My network",
            chrome: chrome,
            .h1("My network"),
            .section(
                .class("grid stats"),
                .div(
                    .class("card stat"),
                    .strong(.text("\(firstDegree)")),
                    .span(.text(firstDegree == 1 ? " connection" : " connections"))
                ),
                .div(.class("card stat"), .strong(.text("\(secondDegree)")), .span(.text(" people two steps away"))),
                .div(.class("card stat"), .a(.href(NetworkRoutes.Pages.suggestions.path), .text("People you may know →")))
            ),
            .section(
                .class("card"),
                .id("incoming"),
                .h2(.text("Waiting for you (\(incoming.count))")),
                incoming.isEmpty
                    ? .p(.class("empty"), .text("No requests right now."))
                    : .ul(
                        .class("requests"),
                        .forEach(incoming) { request in
                            .li(
                                .a(.href(ProfileRoutes.Pages.show.path(request.from.handle)), .strong(.text(request.from.name))),
                                .if(!request.note.isEmpty, .blockquote(.text(request.note))),
                                .div(
                                    .class("actions"),
                                    Controls.postButton(
                                        NetworkRoutes.Pages.accept.path(request.id),
                                        label: "Accept",
                                        csrf: chrome.csrfToken,
                                        primary: true
                                    ),
                                    Controls.postButton(
                                        NetworkRoutes.Pages.ignore.path(request.id),
                                        label: "Ignore",
                                        csrf: chrome.csrfToken
                                    )
                                )
                            )
                        }
                    ),
                .p(.class("hint"), .text("Ignoring is private: the sender is never told."))
            ),
            .section(
                .class("card"),
                .id("outgoing"),
                .h2("Sent"),
                outgoing.isEmpty
                    ? .p(.class("empty"), .text("You have no requests waiting for an answer."))
                    : .ul(
                        .class("requests"),
                        .forEach(outgoing) { request in
                            .li(
                                .a(.href(ProfileRoutes.Pages.show.path(request.to.handle)), .strong(.text(request.to.name))),
                                .span(.class("badge"), .text(request.status == .expired ? "No response" : "Pending")),
                                .if(
                                    request.status == .pending,
                                    Controls.postButton(
                                        NetworkRoutes.Pages.withdraw.path(request.id),
                                        label: "Withdraw",
                                        csrf: chrome.csrfToken
                                    )
                                )
                            )
                        }
                    )
            ),
            .section(
                .class("card"),
                .id("connections"),
                .h2("Connections"),
                connections.items.isEmpty
                    ? .p(.class("empty"), .text("No connections yet. Start with people you may know."))
                    : .ul(
                        .class("people compact"),
                        .forEach(connections.items) { person in
                            .li(
                                .a(.href(ProfileRoutes.Pages.show.path(person.handle)), .text(person.name)),
                                .if(!person.headline.isEmpty, .span(.class("meta"), .text(" · \(person.headline)"))),
                                .text(" "),
                                .a(
                                    .class("small"),
                                    .href(MessageLinks.write(to: person.handle)),
                                    .attribute(named: "aria-label", value: "Message \(person.name)"),
                                    .text("Message")
                                )
                            )
                        }
                    ),
                .unwrap(connections.next) {
                    .p(
                        .class("pager"),
                        .a(.class("button"), .href(NetworkRoutes.Pages.network.path + "?after=\($0)#connections"), .text("More →"))
                    )
                }
            )
        )
    }
}

/// People you may know, each with the reasons.
struct SuggestionsPage {
    let chrome: PageChrome
    let suggestions: [Suggestion]

    func document() -> HTML {
        Layout.page(
            title: "People you may know",
            chrome: chrome,
            .h1("People you may know"),
            .p(.class("lede"), .text("Chosen for how much you could help each other, not just for how many people you share.")),
            suggestions.isEmpty
                ? .p(.class("card empty"), .text("No suggestions yet: add your school and class year, or connect with someone you know."))
                : .ul(
                    .class("people"),
                    .forEach(suggestions) { suggestion in
                        .li(
                            .class("person card"),
                            .div(
                                .class("avatar small"),
                                .attribute(named: "aria-hidden", value: "true"),
                                .text(Initials.of(suggestion.member.name))
                            ),
                            .div(
                                .h2(
                                    .class("name"),
                                    .a(.href(ProfileRoutes.Pages.show.path(suggestion.member.handle)), .text(suggestion.member.name))
                                ),
                                .if(!suggestion.member.headline.isEmpty, .p(.class("headline"), .text(suggestion.member.headline))),
                                .ul(.class("reasons"), .forEach(suggestion.reasons) { .li(.text($0)) }),
                                ConnectForm.node(handle: suggestion.member.handle, name: suggestion.member.name, csrf: chrome.csrfToken)
                            )
                        )
                    }
                )
        )
    }
}

/// "Connect" with an optional note, used on profiles and suggestions.
enum ConnectForm {
    static func node(handle: Handle, name: String, csrf: String) -> Node<HTML.BodyContext> {
        .details(
            .class("connect"),
            .summary(.text("Connect")),
            .form(
                .method(.post),
                .action(NetworkRoutes.Pages.request.path),
                csrfField(csrf),
                .input(.type(.hidden), .name("to"), .value(handle.rawValue)),
                .div(
                    .class("field"),
                    .label(.for("note-\(handle)"), .text("Add a note for \(name) (optional)")),
                    .textarea(
                        .id("note-\(handle)"),
                        .name("note"),
                        .attribute(named: "rows", value: "3"),
                        .attribute(named: "maxlength", value: "300")
                    )
                ),
                .button(.type(.submit), .class("primary"), .text("Send request"))
            )
        )
    }
}

/// "How you're connected" on a profile.
enum RelationshipSection {
    /// The first step along a warm path: through the one in between when the path is
    /// viewer → connector → target; further away, an introduction to the next person on it.
    static func introductionLink(_ path: [Member]) -> Node<HTML.BodyContext> {
        guard path.count >= 3 else { return .empty }
        let (connector, next) = (path[1], path[2])
        return .group(
            .text(" · "),
            .a(
                .href(IntroductionRoutes.Pages.new.path + "?target=\(next.handle)&via=\(connector.handle)"),
                .text(
                    path.count == 3
                        ? "Ask \(connector.name) for an introduction" : "Ask \(connector.name) to introduce you to \(next.name) first"
                )
            )
        )
    }

    static func node(
        _ relationship: Relationship,
        chrome: PageChrome,
        personal: [Member.ID: PersonalContext] = [:]
    )
        -> Node<HTML.BodyContext>
    {
        let degree = relationship.degree.map { ["", "1st", "2nd", "3rd"][$0] } ?? "Not yet connected"
        let member = relationship.member
        let introducers = relationship.paths.compactMap { $0.count > 2 ? $0[1] : nil }
        let neverHelped = introducers.filter { (personal[$0.id]?.helpGiven ?? 0) == 0 }
        var seen: Set<Member.ID> = []
        let giveFirst = neverHelped.filter { seen.insert($0.id).inserted }
        return .section(
            .class("card relationship"),
            .h2("How you're connected"),
            .p(
                .class("private-note"),
                .unwrap(
                    personal[member.id]?.contactID,
                    { .a(.href(ContactRoutes.Pages.show.path($0)), .text("In your contacts (only you see this) →")) },
                    else: .a(
                        .href(ContactRoutes.Pages.newContact.path + "?member=\(member.handle)&name=\(AttributeValue.query(member.name))"),
                        .text("Add \(member.name) to your private contacts")
                    )
                )
            ),
            .p(
                .span(.class("badge"), .text(degree)),
                .if(relationship.mutualCount > 0, .text(" · \(relationship.mutualCount) mutual connections"))
            ),
            .if(
                !relationship.mutuals.isEmpty,
                .ul(
                    .class("chips"),
                    .attribute(named: "aria-label", value: "Mutual connections"),
                    .forEach(relationship.mutuals) { .li(.a(.href(ProfileRoutes.Pages.show.path($0.handle)), .text($0.name))) }
                )
            ),
            .if(
                relationship.degree != 1 && !relationship.paths.isEmpty,
                .group(
                    .h3("Warm introductions"),
                    .ol(
                        .class("paths"),
                        .forEach(relationship.paths) { path in
                            .li(
                                .text(path.map(\.name).joined(separator: " → ")),
                                Self.introductionLink(path)
                            )
                        }
                    ),
                    .if(
                        !giveFirst.isEmpty,
                        .p(
                            .class("hint give-first"),
                            .text(
                                "Give before you ask: you haven't logged any help for "
                                    + giveFirst.map(\.name).joined(separator: " or ")
                                    + " yet. Offering an introduction or a useful pointer first makes an ask easier to say yes to."
                            )
                        )
                    )
                )
            ),
            .if(
                relationship.degree == 1,
                .form(
                    .class("inline"),
                    .method(.post),
                    .action(NetworkRoutes.Pages.remove.path(relationship.member.handle)),
                    csrfField(chrome.csrfToken),
                    .button(.type(.submit), .class("quiet"), .text("Remove connection"))
                ),
                else: ConnectForm.node(handle: relationship.member.handle, name: relationship.member.name, csrf: chrome.csrfToken)
            )
        )
    }
}
