import Foundation
import KithDomain
import Plot

/// The edit form's values as typed, so a failed save shows them again with the errors.
struct ProfileForm: Sendable {
    var name = ""
    var headline = ""
    var bio = ""
    var location = ""
    var industry = ""
    var careerStage = ""
    var skills = ""
    var interests = ""
    var openTo: Set<String> = []
    var website = ""
    var phone = ""
    var visibility: [String: String] = [:]

    init() {}

    init(name: String, profile: Profile) {
        self.name = name
        headline = profile.headline
        bio = profile.bio
        location = profile.location
        industry = profile.industry
        careerStage = profile.careerStage?.rawValue ?? ""
        skills = profile.skills.joined(separator: ", ")
        interests = profile.interests.joined(separator: ", ")
        openTo = Set(profile.openTo.map(\.rawValue))
        website = profile.website
        phone = profile.phone
        visibility = Dictionary(uniqueKeysWithValues: ProfileSection.allCases.map { ($0.rawValue, profile.visibility(of: $0).rawValue) })
    }

    var changes: ProfileChanges {
        ProfileChanges(
            name: name,
            headline: headline,
            bio: bio,
            location: location,
            industry: industry,
            careerStage: careerStage,
            skills: Self.list(skills),
            interests: Self.list(interests),
            openTo: openTo.sorted(),
            website: website,
            phone: phone,
            visibility: visibility
        )
    }

    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

struct EditProfilePage {
    let chrome: PageChrome
    let handle: Handle
    let form: ProfileForm
    let errors: FieldErrors
    let affiliations: [Affiliation]
    let affiliationErrors: FieldErrors
    let blocked: [Member]

    func document() -> HTML {
        Layout.page(
            title: "Edit profile",
            chrome: chrome,
            .h1("Edit your profile"),
            .p(
                .a(.href(ProfileRoutes.Pages.show.path(handle)), .text("← Back to my profile")),
                .text(" · "),
                .a(.href(AccountRoutes.Pages.security.path), .text("Sign-in and security"))
            ),
            .form(
                .class("card"),
                .method(.post),
                .action(ProfileRoutes.Pages.edit.path),
                .novalidate(),
                csrfField(chrome.csrfToken),
                Field.summary(errors.others(known: Self.profileFields)),
                .h2("About you"),
                Field.text("name", label: "Full name", value: form.name, errors: errors, required: true),
                Field.text(
                    "headline",
                    label: "Headline",
                    value: form.headline,
                    errors: errors,
                    hint: "One line, up to 120 characters: what you do or what you're looking for."
                ),
                Field.select(
                    "career_stage",
                    label: "Career stage",
                    options: [("", "Not set")] + CareerStage.allCases.map { ($0.rawValue, $0.label) },
                    selected: form.careerStage,
                    errors: errors
                ),
                Field.text("industry", label: "Industry", value: form.industry, errors: errors),
                Field.text("location", label: "Location", value: form.location, errors: errors, hint: "City and country."),
                Field.textarea("bio", label: "About", value: form.bio, errors: errors, hint: "Up to 2,000 characters."),
                Field.text(
                    "skills",
                    label: "Skills",
                    value: form.skills,
                    errors: errors,
                    hint: "Separate with commas, e.g. Python, Product strategy."
                ),
                Field.text("interests", label: "Interests", value: form.interests, errors: errors, hint: "Separate with commas."),
                .fieldset(
                    .element(named: "legend", text: "I'm open to"),
                    .div(
                        .class("checks"),
                        .forEach(OpenTo.allCases) { signal in
                            .label(
                                .class("check"),
                                .input(
                                    .type(.checkbox),
                                    .name("open_to"),
                                    .value(signal.rawValue),
                                    .checked(form.openTo.contains(signal.rawValue))
                                ),
                                .text(" \(signal.label)")
                            )
                        }
                    ),
                    .unwrap(errors.message("open_to")) { .p(.class("error"), .text($0)) }
                ),
                .h2("Contact"),
                Field.text("website", label: "Website", value: form.website, type: .url, errors: errors),
                Field.text("phone", label: "Phone", value: form.phone, type: .tel, errors: errors),
                .h2("Who can see what"),
                .p(
                    .class("hint"),
                    .text(
                        "Your name, handle, headline, industry, career stage, interests and what you're open to are visible to the community. Hidden sections never appear in search, suggestions or exports of other members."
                    )
                ),
                .forEach(ProfileSection.allCases) { section in
                    Field.select(
                        "visibility.\(section.rawValue)",
                        label: section.label,
                        options: Visibility.allCases.map { ($0.rawValue, $0.label) },
                        selected: form.visibility[section.rawValue] ?? Profile.defaultVisibility[section]!.rawValue,
                        errors: errors
                    )
                },
                .button(.type(.submit), .class("primary"), .text("Save profile"))
            ),
            affiliationsSection(),
            blockedSection()
        )
    }

    static let profileFields: Set<String> = [
        "name", "headline", "career_stage", "industry", "location", "bio", "skills", "interests", "open_to", "website",
        "phone", "visibility",
    ]

    private func affiliationsSection() -> Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .id("affiliations"),
            .h2("Schools, employers and cohorts"),
            .if(affiliations.isEmpty, .p(.class("empty"), .text("Add your school and class year so classmates can find you."))),
            .ul(
                .class("affiliations"),
                .forEach(affiliations) { affiliation in
                    .li(
                        .strong(.text(affiliation.organization)),
                        .text(" · \(affiliation.kind.label)"),
                        .if(!affiliation.cohort.isEmpty, .text(" · \(affiliation.cohort)")),
                        .form(
                            .class("inline"),
                            .method(.post),
                            .action(ProfileRoutes.Pages.removeAffiliation.path(affiliation.id)),
                            csrfField(chrome.csrfToken),
                            .button(.type(.submit), .class("link"), .text("Remove \(affiliation.organization)"))
                        )
                    )
                }
            ),
            .form(
                .method(.post),
                .action(ProfileRoutes.Pages.addAffiliation.path),
                .novalidate(),
                csrfField(chrome.csrfToken),
                .h3("Add an affiliation"),
                Field.summary(affiliationErrors.others(known: ["kind", "organization", "title", "cohort", "start_year", "end_year"])),
                Field.select(
                    "kind",
                    label: "Kind",
                    options: AffiliationKind.allCases.map { ($0.rawValue, $0.label) },
                    selected: "school",
                    errors: affiliationErrors
                ),
                Field.text("organization", label: "Organisation", value: "", errors: affiliationErrors, required: true),
                Field.text("title", label: "Title or degree", value: "", errors: affiliationErrors),
                Field.text(
                    "cohort",
                    label: "Cohort or class year",
                    value: "",
                    errors: affiliationErrors,
                    hint: "For example: Class of 2015."
                ),
                .div(
                    .class("row"),
                    Field.text("start_year", label: "From (year)", value: "", type: .number, errors: affiliationErrors),
                    Field.text("end_year", label: "To (year)", value: "", type: .number, errors: affiliationErrors)
                ),
                .button(.type(.submit), .text("Add affiliation"))
            )
        )
    }

    private func blockedSection() -> Node<HTML.BodyContext> {
        .section(
            .class("card"),
            .id("blocked"),
            .h2("Blocked members"),
            blocked.isEmpty
                ? .p(.class("empty"), .text("You have not blocked anyone. Blocked members cannot see you and you will not see them."))
                : .ul(
                    .forEach(blocked) { member in
                        .li(
                            .text("\(member.name) (@\(member.handle)) "),
                            .form(
                                .class("inline"),
                                .method(.post),
                                .action(ProfileRoutes.Pages.unblock.path(member.handle)),
                                csrfField(chrome.csrfToken),
                                .button(.type(.submit), .class("link"), .text("Unblock"))
                            )
                        )
                    }
                )
        )
    }
}
