/// Where the page about something is, for the links the domain writes into notifications, emails
/// and calendar files. The web layer answers from its route tables (`RouteLinks`); the domain
/// never spells a path.
public protocol PageLinks: Sendable {
    func event(_ id: Event.ID) -> String
    func contact(_ id: Contact.ID) -> String
    func conversation(_ id: Conversation.ID) -> String
    func member(_ handle: Handle) -> String
    /// The member's home page (their week) and the keep-in-touch board.
    var home: String { get }
    var keepInTouch: String { get }
    /// Where a member answers connection requests.
    var connectionRequests: String { get }
    /// One introduction, as its asker, connector or target sees it.
    func introduction(_ id: Ask.ID) -> String
    /// One help ask, as its asker or a member it reached sees it.
    func ask(_ id: Ask.ID) -> String
    /// The form for asking the community for help.
    var askForHelp: String { get }
    /// The one-click unsubscribe page for a signed token.
    func unsubscribe(_ token: String) -> String
}
