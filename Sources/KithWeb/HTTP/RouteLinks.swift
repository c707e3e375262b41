public import KithDomain

/// The domain's links (`PageLinks`) answered from the route tables.
public struct RouteLinks: PageLinks {
    public init() {}
    public func event(_ id: Event.ID) -> String { EventRoutes.Pages.show.path(id) }
    public func contact(_ id: Contact.ID) -> String { ContactRoutes.Pages.show.path(id) }
    public func conversation(_ id: Conversation.ID) -> String { MessageRoutes.Pages.show.path(id) }
    public func member(_ handle: Handle) -> String { ProfileRoutes.Pages.show.path(handle) }
    public var home: String { ProfileRoutes.Pages.home.path }
    public var keepInTouch: String { ContactRoutes.Pages.keepInTouch.path }
    public var connectionRequests: String { NetworkRoutes.Pages.network.path }
    public func introduction(_ id: Ask.ID) -> String { IntroductionRoutes.Pages.show.path(id) }
    public func ask(_ id: Ask.ID) -> String { AskRoutes.Pages.show.path(id) }
    public var askForHelp: String { AskRoutes.Pages.new.path }
    public func unsubscribe(_ token: String) -> String { NotificationRoutes.Pages.unsubscribe.path(token) }
}
