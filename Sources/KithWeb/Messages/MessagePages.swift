import Foundation
import KithDomain
import Plot

/// The inbox and the message requests box.
struct InboxPage {
    let chrome: PageChrome
    let box: ConversationBox
    let conversations: Page<ConversationSummary>
    let requestsWaiting: Int

    func document() -> HTML {
        Layout.page(
            title: box == .inbox ? "Messages" : "Message requests",
            chrome: chrome,
            .div(
                .class("heading-row"),
                .h1(.text(box == .inbox ? "Messages" : "Message requests")),
                .a(.class("button"), .href(MessageRoutes.Pages.newConversation.path), .text("New message"))
            ),
            Controls.subnav(
                "Messages",
                [
                    .init(path: MessageRoutes.Pages.inbox.path, label: "Inbox", current: box == .inbox),
                    .init(
                        path: MessageRoutes.Pages.inbox.path + "?box=requests",
                        label: requestsWaiting > 0 ? "Requests (\(requestsWaiting))" : "Requests",
                        current: box == .requests
                    ),
                ]
            ),
            .if(
                box == .requests,
                .p(
                    .class("hint"),
                    .text(
                        "First messages from members you share no connection or event with wait here. Ignoring is private: the sender is never told."
                    )
                )
            ),
            conversations.items.isEmpty
                ? .p(.class("empty"), .text(box == .inbox ? "No conversations yet." : "No message requests."))
                : .ul(
                    .class("conversations"),
                    .forEach(conversations.items) { summary in
                        .li(
                            .class(summary.unreadCount > 0 ? "conversation unread" : "conversation"),
                            .a(
                                .href(MessageRoutes.Pages.show.path(summary.conversation.id)),
                                .strong(.text(MessageViews.title(summary))),
                                .if(summary.unreadCount > 0, .span(.class("badge"), .text(" \(summary.unreadCount) unread")))
                            ),
                            .unwrap(summary.lastMessage) { last in
                                .p(
                                    .class("preview"),
                                    .text(MessageViews.preview(last, author: summary.lastAuthor, viewer: chrome.member)),
                                    .span(.class("muted"), .text(" · " + MessageViews.time(last.sentAt)))
                                )
                            }
                        )
                    }
                ),
            .unwrap(conversations.next) { next in
                .p(.a(.href(MessageRoutes.Pages.inbox.path + "?box=\(box.rawValue)&after=\(next)"), .text("Older conversations →")))
            }
        )
    }
}

/// One conversation: its messages oldest first, and the reply form.
struct ConversationPage {
    let chrome: PageChrome
    let summary: ConversationSummary
    let messages: [MessageView]
    let earlier: Int64?
    var draft: String = ""
    var errors = FieldErrors()

    func document() -> HTML {
        let id = summary.conversation.id
        return Layout.page(
            title: MessageViews.title(summary),
            chrome: chrome,
            .p(.a(.href(MessageRoutes.Pages.inbox.path), .text("← Messages"))),
            .h1(.text(MessageViews.title(summary))),
            .if(
                summary.conversation.kind == .group,
                .p(.class("muted"), .text("With " + summary.others.map(\.name).joined(separator: ", ")))
            ),
            .if(
                summary.state == .request,
                .section(
                    .class("card notice"),
                    .p(.text("This is a message request. Accept it to reply, or ignore it: the sender is never told.")),
                    .div(
                        .class("actions"),
                        Controls.postButton(MessageRoutes.Pages.accept.path(id), label: "Accept", csrf: chrome.csrfToken, primary: true),
                        Controls.postButton(MessageRoutes.Pages.ignore.path(id), label: "Ignore", csrf: chrome.csrfToken),
                        .unwrap(
                            summary.others.first,
                            { other in
                                Controls.postButton(ProfileRoutes.Pages.block.path(other.handle), label: "Block", csrf: chrome.csrfToken)
                            }
                        )
                    )
                )
            ),
            .unwrap(earlier) { before in
                .p(.a(.href(MessageRoutes.Pages.show.path(id) + "?before=\(before)"), .text("← Earlier messages")))
            },
            .element(
                named: "ol",
                nodes: [
                    .class("messages"),
                    .id("messages"),
                    .attribute(named: "aria-live", value: "polite"),
                    // Where the page's script listens for new messages (kith.js); nothing needs it.
                    .attribute(
                        named: "data-live",
                        value: summary.hasLeft
                            ? nil
                            : MessageRoutes.Pages.live.path(id)
                                + "?after=\(messages.last?.message.sequence ?? summary.conversation.lastSequence)"
                    ),
                    .forEach(messages) { Self.item($0, viewer: chrome.member?.id) },
                ]
            ),
            summary.hasLeft
                ? .p(.class("muted"), .text("You left this conversation."))
                : .form(
                    .class("reply"),
                    .method(.post),
                    .action(MessageRoutes.Pages.send.path(id)),
                    csrfField(chrome.csrfToken),
                    Field.textarea(
                        "body",
                        label: "Your message",
                        value: draft,
                        errors: errors,
                        hint: "**bold**, *emphasis*, - lists and links work."
                    ),
                    .button(.type(.submit), .class("primary"), .text("Send"))
                ),
            .if(
                (summary.conversation.kind == .group || summary.conversation.kind == .introduction) && !summary.hasLeft,
                Controls.postButton(
                    MessageRoutes.Pages.leave.path(id),
                    label: summary.conversation.kind == .introduction ? "Step out (leave the two to talk)" : "Leave this conversation",
                    csrf: chrome.csrfToken
                )
            )
        )
    }
}

extension ConversationPage {
    /// One message in the thread (also sent, rendered, to an open page as it arrives).
    static func item(_ view: MessageView, viewer: Member.ID?) -> Node<HTML.ListContext> {
        let mine = view.message.author == viewer
        return .li(
            .class(mine ? "message mine" : "message"),
            .id("m\(view.message.sequence)"),
            .p(
                .class("meta"),
                .strong(.text(mine ? "You" : view.author?.name ?? "A former member")),
                .span(.class("muted"), .text(" · " + MessageViews.time(view.message.sentAt)))
            ),
            .div(.class("body"), MessageFormatting.render(view.message.body))
        )
    }
}

/// Writing to someone for the first time (or to several people).
struct NewConversationPage {
    let chrome: PageChrome
    var to: String = ""
    var body: String = ""
    var errors = FieldErrors()

    func document() -> HTML {
        Layout.page(
            title: "New message",
            chrome: chrome,
            .h1("New message"),
            Field.summary(errors.others(known: ["to", "body"])),
            .form(
                .method(.post),
                .action(MessageRoutes.Pages.start.path),
                csrfField(chrome.csrfToken),
                Field.text(
                    "to",
                    label: "To",
                    value: to,
                    errors: errors,
                    hint: "One handle, or up to seven separated by commas.",
                    required: true
                ),
                Field.textarea("body", label: "Message", value: body, errors: errors),
                .p(
                    .class("hint"),
                    .text("Someone you share no connection or event with gets it as a message request, which they can accept or ignore.")
                ),
                .button(.type(.submit), .class("primary"), .text("Send"))
            )
        )
    }
}

enum MessageViews {
    static func title(_ summary: ConversationSummary) -> String {
        let names = summary.others.map(\.name)
        if names.isEmpty { return "Conversation" }
        if names.count <= 3 { return names.joined(separator: ", ") }
        return names.prefix(2).joined(separator: ", ") + " and \(names.count - 2) others"
    }

    static func preview(_ message: ChatMessage, author: Member?, viewer: Member?) -> String {
        let who = message.author == viewer?.id ? "You" : author?.name ?? "A former member"
        let text = message.body.replacingOccurrences(of: "\n", with: " ")
        return "\(who): " + (text.count > 120 ? String(text.prefix(120)) + "…" : text)
    }

    static func time(_ date: Date) -> String {
        date.formatted(.dateTime.day().month(.abbreviated).hour().minute())
    }
}

/// Links into messages from elsewhere (profiles, connection lists, people to meet).
enum MessageLinks {
    /// The new-message form, addressed to `handle`.
    static func write(to handle: Handle) -> String {
        MessageRoutes.Pages.newConversation.path + "?to=" + handle.rawValue
    }
}
