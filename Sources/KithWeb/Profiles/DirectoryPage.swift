import Foundation
import KithDomain
import Plot

struct DirectoryPage {
    let chrome: PageChrome
    let search: DirectorySearch
    let page: Page<MemberSummary>?
    let errors: FieldErrors

    func document() -> HTML {
        Layout.page(
            title: "Directory",
            chrome: chrome,
            .h1("Directory"),
            .form(
                .class("card search"),
                .method(.get),
                .action(ProfileRoutes.Pages.search.path),
                .attribute(named: "role", value: "search"),
                Field.summary(
                    errors.others(known: ["q", "skill", "industry", "career_stage", "cohort", "organization", "location", "open_to"])
                ),
                Field.text(
                    "q",
                    label: "Search people",
                    value: search.q ?? "",
                    type: .search,
                    errors: errors,
                    hint: "Names, headlines, skills, schools and employers."
                ),
                .details(
                    .attribute(named: "open", value: hasFacets || !errors.errors.isEmpty ? "open" : nil),
                    .summary("Filters"),
                    .div(
                        .class("facets"),
                        Field.text("skill", label: "Skill", value: search.skill ?? "", errors: errors),
                        Field.text("industry", label: "Industry", value: search.industry ?? "", errors: errors),
                        Field.select(
                            "career_stage",
                            label: "Career stage",
                            options: [("", "Any")] + CareerStage.allCases.map { ($0.rawValue, $0.label) },
                            selected: search.careerStage ?? "",
                            errors: errors
                        ),
                        Field.text("cohort", label: "Cohort or class year", value: search.cohort ?? "", errors: errors),
                        Field.text("organization", label: "School or employer", value: search.organization ?? "", errors: errors),
                        Field.text("location", label: "Location", value: search.location ?? "", errors: errors),
                        Field.select(
                            "open_to",
                            label: "Open to",
                            options: [("", "Anything")] + OpenTo.allCases.map { ($0.rawValue, $0.label) },
                            selected: search.openTo ?? "",
                            errors: errors
                        )
                    )
                ),
                .button(.type(.submit), .class("primary"), .text("Search"))
            ),
            results()
        )
    }

    private var hasFacets: Bool {
        [search.skill, search.industry, search.careerStage, search.cohort, search.organization, search.location, search.openTo]
            .contains { !($0 ?? "").isEmpty }
    }

    private func results() -> Node<HTML.BodyContext> {
        .unwrap(page) { page in
            .section(
                .class("results"),
                .attribute(named: "aria-live", value: "polite"),
                .h2(.class("visually-hidden"), .text("Results")),
                page.items.isEmpty
                    ? .p(.class("empty card"), .text("No members match. Try fewer words or remove a filter."))
                    : .ul(.class("people"), .forEach(page.items) { personCard($0) }),
                .unwrap(page.next) { next in
                    .p(
                        .class("pager"),
                        .a(.class("button"), .href(ProfileRoutes.Pages.search.path + "?" + query(after: next)), .text("Next page →"))
                    )
                }
            )
        }
    }

    private func personCard(_ person: MemberSummary) -> Node<HTML.ListContext> {
        .li(
            .class("person card"),
            .div(.class("avatar small"), .attribute(named: "aria-hidden", value: "true"), .text(Initials.of(person.name))),
            .div(
                .h3(.a(.href(ProfileRoutes.Pages.show.path(person.handle)), .text(person.name))),
                .if(!person.headline.isEmpty, .p(.class("headline"), .text(person.headline))),
                .p(
                    .class("meta"),
                    .unwrap(person.careerStage) { .span(.class("badge"), .text($0.label)) },
                    .if(!person.industry.isEmpty, .span(.text(person.industry))),
                    .unwrap(person.location.flatMap { $0.isEmpty ? nil : $0 }) { .span(.text($0)) }
                ),
                .unwrap(person.skills.flatMap { $0.isEmpty ? nil : $0 }) { skills in
                    .ul(.class("chips"), .attribute(named: "aria-label", value: "Skills"), .forEach(skills) { .li(.text($0)) })
                }
            )
        )
    }

    private func query(after: String) -> String {
        let pairs: [(String, String?)] = [
            ("q", search.q), ("skill", search.skill), ("industry", search.industry), ("career_stage", search.careerStage),
            ("cohort", search.cohort), ("organization", search.organization), ("location", search.location),
            ("open_to", search.openTo), ("after", after),
        ]
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.compactMap { key, value in
            guard let value, !value.isEmpty else { return nil }
            return key + "=" + (value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")
        }.joined(separator: "&")
    }
}
