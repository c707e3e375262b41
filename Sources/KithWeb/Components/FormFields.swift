import KithDomain
import Plot

/// Labelled inputs that show their own validation message beside them (and tie it to the input
/// with aria-describedby), so every form reports errors the same accessible way.
struct FieldErrors: Sendable {
    var errors: [FieldError] = []

    func message(_ field: String) -> String? {
        let messages = errors.filter { $0.field == field || $0.field.hasPrefix(field + ".") || $0.field.hasPrefix(field + "[") }.map(
            \.message
        )
        return messages.isEmpty ? nil : messages.joined(separator: "; ")
    }

    /// Errors not tied to any field on the form.
    func others(known: Set<String>) -> [FieldError] {
        errors.filter { error in
            !known.contains(where: { error.field == $0 || error.field.hasPrefix($0 + ".") || error.field.hasPrefix($0 + "[") })
        }
    }
}

enum Field {
    static func text<Context: HTML.BodyContext>(
        _ name: String,
        label: String,
        value: String,
        type: HTMLInputType = .text,
        errors: FieldErrors,
        hint: String? = nil,
        required: Bool = false,
        autocomplete: String? = nil
    ) -> Node<Context> {
        let message = errors.message(name)
        let describedBy = [message != nil ? "\(name)-error" : nil, hint != nil ? "\(name)-hint" : nil].compactMap { $0 }
        return .div(
            .class(message == nil ? "field" : "field invalid"),
            .label(.for(name), .text(label)),
            .unwrap(hint) { .p(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .input(
                .type(type),
                .id(name),
                .name(name),
                .value(value),
                .required(required),
                .attribute(named: "autocomplete", value: autocomplete),
                .attribute(named: "aria-invalid", value: message == nil ? nil : "true"),
                .attribute(named: "aria-describedby", value: describedBy.isEmpty ? nil : describedBy.joined(separator: " "))
            ),
            .unwrap(message) { .p(.class("error"), .id("\(name)-error"), .text($0)) }
        )
    }

    static func textarea<Context: HTML.BodyContext>(
        _ name: String,
        label: String,
        value: String,
        errors: FieldErrors,
        hint: String? = nil
    ) -> Node<Context> {
        let message = errors.message(name)
        return .div(
            .class(message == nil ? "field" : "field invalid"),
            .label(.for(name), .text(label)),
            .unwrap(hint) { .p(.class("hint"), .id("\(name)-hint"), .text($0)) },
            .textarea(
                .id(name),
                .name(name),
                .attribute(named: "rows", value: "5"),
                .attribute(named: "aria-invalid", value: message == nil ? nil : "true"),
                .attribute(named: "aria-describedby", value: message == nil ? nil : "\(name)-error"),
                .text(value)
            ),
            .unwrap(message) { .p(.class("error"), .id("\(name)-error"), .text($0)) }
        )
    }

    static func select<Context: HTML.BodyContext>(
        _ name: String,
        label: String,
        options: [(value: String, label: String)],
        selected: String,
        errors: FieldErrors
    ) -> Node<Context> {
        let message = errors.message(name)
        return .div(
            .class(message == nil ? "field" : "field invalid"),
            .label(.for(name), .text(label)),
            .select(
                .id(name),
                .attribute(named: "name", value: name),
                .forEach(options) { option in
                    Node<HTML.SelectContext>.element(
                        named: "option",
                        nodes: [
                            .attribute(named: "value", value: option.value, ignoreIfValueIsEmpty: false),
                            option.value == selected ? .attribute(named: "selected") : .empty,
                            .text(option.label),
                        ]
                    )
                }
            ),
            .unwrap(message) { .p(.class("error"), .id("\(name)-error"), .text($0)) }
        )
    }

    /// Problems that belong to no single field, shown at the top of the form.
    static func summary<Context: HTML.BodyContext>(_ errors: [FieldError]) -> Node<Context> {
        .if(
            !errors.isEmpty,
            .div(
                .class("form-errors"),
                .attribute(named: "role", value: "alert"),
                .ul(.forEach(errors) { .li(.text($0.message)) })
            )
        )
    }
}
