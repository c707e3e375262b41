import Foundation
import KithDomain
import Plot

struct ProfilePage {
    let chrome: PageChrome
    let profile: ProfileView
    var relationship: Relationship? = nil
    /// The viewer's own relationship-manager context for this member and the path intermediaries.
    var personal: [Member.ID: PersonalContext] = [:]
    /// Members this member was thanked for helping (public).
    var helped = 0

    func document() -> HTML {
        let isOwner = profile.relation == .owner
        return Layout.page(
            title: profile.name,
            chrome: chrome,
            .article(
                .class("profile"),
                .header(
                    .class("profile-head card"),
                    .div(.class("avatar"), .attribute(named: "aria-hidden", value: "true"), .text(Initials.of(profile.name))),
                    .div(
                        .h1(.text(profile.name)),
                        .p(.class("handle"), .text("@\(profile.handle)")),
                        .if(!profile.headline.isEmpty, .p(.class("headline"), .text(profile.headline))),
                        .p(
                            .class("meta"),
                            .unwrap(profile.careerStage) { .span(.class("badge"), .text($0.label)) },
                            .if(!profile.industry.isEmpty, .span(.text(profile.industry))),
                            .unwrap(profile.location.flatMap { $0.isEmpty ? nil : $0 }) { .span(.class("location"), .text($0)) },
                            .if(helped > 0, .span(.class("helped"), .text("Helped \(helped) member\(helped == 1 ? "" : "s")")))
                        ),
                        .if(
                            !profile.openTo.isEmpty,
                            .ul(
                                .class("chips"),
                                .attribute(named: "aria-label", value: "Open to"),
                                .forEach(profile.openTo) { .li(.text("Open to: \($0.label)")) }
                            )
                        ),
                        .if(
                            isOwner,
                            .p(.a(.class("button"), .href(ProfileRoutes.Pages.editForm.path), .text("Edit profile and visibility"))),
                            else: .div(
                                .class("actions"),
                                .a(.class("button primary"), .href(MessageLinks.write(to: profile.handle)), .text("Message")),
                                .form(
                                    .class("inline"),
                                    .method(.post),
                                    .action(ProfileRoutes.Pages.block.path(profile.handle)),
                                    csrfField(chrome.csrfToken),
                                    .button(.type(.submit), .class("quiet"), .text("Block \(profile.name)"))
                                )
                            )
                        )
                    )
                ),
                .unwrap(relationship) { RelationshipSection.node($0, chrome: chrome, personal: personal) },
                section("About", .bio, text: profile.bio),
                .unwrap(profile.skills) { skills in
                    .section(
                        .class("card"),
                        .h2("Skills"),
                        visibilityNote(.skills),
                        skills.isEmpty
                            ? .p(.class("empty"), .text("No skills listed yet."))
                            : .ul(.class("chips"), .forEach(skills) { .li(.text($0)) }),
                        .if(
                            !profile.interests.isEmpty,
                            .group(.h3("Interests"), .ul(.class("chips"), .forEach(profile.interests) { .li(.text($0)) }))
                        )
                    )
                },
                .unwrap(profile.affiliations) { affiliations in
                    .section(
                        .class("card"),
                        .h2("Schools, employers and cohorts"),
                        visibilityNote(.affiliations),
                        affiliations.isEmpty
                            ? .p(.class("empty"), .text("No affiliations listed yet."))
                            : .ul(.class("affiliations"), .forEach(affiliations) { affiliationItem($0) })
                    )
                },
                .unwrap(profile.contact) { contact in
                    .section(
                        .class("card"),
                        .h2("Contact"),
                        visibilityNote(.contact),
                        .dl(
                            .dt("Email"),
                            .dd(.a(.href("mailto:\(contact.email)"), .text(contact.email))),
                            .if(
                                !contact.website.isEmpty,
                                .group(
                                    .dt("Website"),
                                    .dd(
                                        .a(
                                            .href(contact.website),
                                            .attribute(named: "rel", value: "nofollow noopener"),
                                            .text(contact.website)
                                        )
                                    )
                                )
                            ),
                            .if(!contact.phone.isEmpty, .group(.dt("Phone"), .dd(.text(contact.phone))))
                        )
                    )
                },
                .p(.class("meta"), .text("Member since \(Dates.monthYear(profile.memberSince))"))
            )
        )
    }

    private func section(_ title: String, _ section: ProfileSection, text: String?) -> Node<HTML.BodyContext> {
        .unwrap(text) { text in
            .section(
                .class("card"),
                .h2(.text(title)),
                visibilityNote(section),
                text.isEmpty
                    ? .p(.class("empty"), .text("Nothing here yet."))
                    : .group(text.split(separator: "\n", omittingEmptySubsequences: true).map { .p(.text(String($0))) })
            )
        }
    }

    /// Owners see who can see each section, so the setting is never a surprise.
    private func visibilityNote(_ section: ProfileSection) -> Node<HTML.BodyContext> {
        .unwrap(profile.visibility) { visibility in
            .p(.class("visibility"), .text("Visible to: \((visibility[section] ?? .community).label)"))
        }
    }

    private func affiliationItem(_ affiliation: Affiliation) -> Node<HTML.ListContext> {
        let years = [affiliation.startYear, affiliation.endYear].compactMap { $0 }.map(String.init).joined(separator: "–")
        return .li(
            .strong(.text(affiliation.organization)),
            .span(.class("kind"), .text(" · \(affiliation.kind.label)")),
            .if(!affiliation.title.isEmpty, .div(.text(affiliation.title))),
            .if(
                !affiliation.cohort.isEmpty || !years.isEmpty,
                .div(.class("meta"), .text([affiliation.cohort, years].filter { !$0.isEmpty }.joined(separator: " · ")))
            )
        )
    }
}

enum Initials {
    static func of(_ name: String) -> String {
        name.split(separator: " ").prefix(2).compactMap(\.first).map(String.init).joined().uppercased()
    }
}

enum Dates {
    /// "March 2019" in UTC.
    static func monthYear(_ date: Date) -> String { UTCCivilTime(date).monthAndYear }
}
