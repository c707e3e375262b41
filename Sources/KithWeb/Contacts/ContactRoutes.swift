import Hummingbird
import KithDomain

/// The contacts routes: each written once, here (see `Endpoint`).
enum ContactRoutes {
    enum API {
        static let list = Endpoint<NoParameters>(.get, "/api/v1/contacts", .caller, "The caller's contacts (private), by name")
        static let create = Endpoint<NoParameters>(
            .post,
            "/api/v1/contacts",
            .caller,
            "Add a contact to the caller's relationship manager",
            input: ContactsAPIController.ContactBody.self
        )
        static let importFile = Endpoint<NoParameters>(
            .post,
            "/api/v1/contacts/import",
            .caller,
            "Import a vCard (3.0/4.0) or LinkedIn Connections.csv file; duplicates merge"
        )
        static let export = Endpoint<NoParameters>(.get, "/api/v1/contacts/export", .caller, "Export")
        static let duplicates = Endpoint<NoParameters>(
            .get,
            "/api/v1/contacts/duplicates",
            .caller,
            "Pairs of the caller's contacts that share an email or a name"
        )
        static let show = Endpoint<OneParameter<Contact.ID>>(
            .get,
            "/api/v1/contacts/:id",
            .owner,
            "A contact with its timeline, follow-ups and ledger"
        )
        static let update = Endpoint<OneParameter<Contact.ID>>(
            .patch,
            "/api/v1/contacts/:id",
            .owner,
            "Change a contact (absent fields stay; cadence_days 0 follows the tags)",
            input: ContactsAPIController.ContactBody.self
        )
        static let delete = Endpoint<OneParameter<Contact.ID>>(.delete, "/api/v1/contacts/:id", .owner, "Delete a contact and its timeline")
        static let logInteraction = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/interactions",
            .owner,
            "Log an interaction; the keep-in-touch timer starts again from it",
            input: ContactsAPIController.InteractionBody.self
        )
        static let interactions = Endpoint<OneParameter<Contact.ID>>(
            .get,
            "/api/v1/contacts/:id/interactions",
            .owner,
            "A contact's timeline, newest first"
        )
        static let addFollowUp = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/follow-ups",
            .owner,
            "Plan a follow-up; a reminder arrives when it is due",
            input: ContactsAPIController.FollowUpBody.self
        )
        static let snooze = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/snooze",
            .owner,
            "Put keeping in touch off for some days",
            input: ContactsAPIController.SnoozeBody.self
        )
        static let done = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/done",
            .owner,
            "Mark as in touch now (logs a message)"
        )
        static let merge = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/merge",
            .owner,
            "Merge another contact (from) into this one: details, interactions and follow-ups move here",
            input: ContactsAPIController.MergeBody.self
        )
        static let followUps = Endpoint<NoParameters>(.get, "/api/v1/follow-ups", .caller, "The caller's open follow-ups, soonest first")
        static let completeFollowUp = Endpoint<OneParameter<FollowUp.ID>>(
            .post,
            "/api/v1/follow-ups/:id/done",
            .owner,
            "Mark a follow-up done"
        )
        static let keepInTouch = Endpoint<NoParameters>(
            .get,
            "/api/v1/keep-in-touch",
            .caller,
            "Who is due and overdue, open follow-ups, and dormant ties worth reviving"
        )
        static let reciprocity = Endpoint<NoParameters>(
            .get,
            "/api/v1/reciprocity",
            .caller,
            "Help given and received, per contact and in total"
        )
        static let cadences = Endpoint<NoParameters>(
            .get,
            "/api/v1/cadences",
            .caller,
            "Keep-in-touch cadences per tag (the caller's and the defaults)"
        )
        static let setCadence = Endpoint<OneParameter<String>>(
            .put,
            "/api/v1/cadences/:tag",
            .caller,
            "Set a tag's cadence",
            input: ContactsAPIController.CadenceBody.self
        )
        static let deleteCadence = Endpoint<OneParameter<String>>(
            .delete,
            "/api/v1/cadences/:tag",
            .caller,
            "Remove the caller's cadence for a tag"
        )
        static let notifications = Endpoint<NoParameters>(.get, "/api/v1/notifications", .caller, "The caller's reminders, newest first")
        static let markRead = Endpoint<NoParameters>(.post, "/api/v1/notifications/read", .caller, "Mark every reminder read")

        static let all: [AnyEndpoint] = [
            list.erased, create.erased, importFile.erased, export.erased, duplicates.erased, show.erased, update.erased, delete.erased,
            logInteraction.erased, interactions.erased, addFollowUp.erased, snooze.erased, done.erased, merge.erased, followUps.erased,
            completeFollowUp.erased, keepInTouch.erased, reciprocity.erased, cadences.erased, setCadence.erased, deleteCadence.erased,
            notifications.erased, markRead.erased,
        ]
    }

    enum Pages {
        static let list = Endpoint<NoParameters>(.get, "/contacts", .caller, "The caller's contacts, searchable and by tag")
        static let newContact = Endpoint<NoParameters>(.get, "/contacts/new", .caller, "The new-contact form")
        static let create = Endpoint<NoParameters>(.post, "/contacts", .caller, "Add a contact")
        static let importForm = Endpoint<NoParameters>(.get, "/contacts/import", .caller, "The import form (vCard, LinkedIn CSV)")
        static let importFile = Endpoint<NoParameters>(.post, "/contacts/import", .caller, "Import a file of contacts")
        static let export = Endpoint<NoParameters>(.get, "/contacts/export.vcf", .caller, "All the caller's contacts as vCard")
        static let show = Endpoint<OneParameter<Contact.ID>>(.get, "/contacts/:id", .owner, "One contact: details, timeline, follow-ups")
        static let update = Endpoint<OneParameter<Contact.ID>>(.post, "/contacts/:id", .owner, "Change a contact")
        static let delete = Endpoint<OneParameter<Contact.ID>>(.post, "/contacts/:id/delete", .owner, "Delete a contact")
        static let logInteraction = Endpoint<OneParameter<Contact.ID>>(.post, "/contacts/:id/interactions", .owner, "Log an interaction")
        static let addFollowUp = Endpoint<OneParameter<Contact.ID>>(.post, "/contacts/:id/follow-ups", .owner, "Add a follow-up")
        static let done = Endpoint<OneParameter<Contact.ID>>(.post, "/contacts/:id/done", .owner, "Mark a contact as kept in touch with")
        static let snooze = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/contacts/:id/snooze",
            .owner,
            "Snooze a contact's keep-in-touch date"
        )
        static let merge = Endpoint<OneParameter<Contact.ID>>(.post, "/contacts/:id/merge", .owner, "Merge another contact into this one")
        static let completeFollowUp = Endpoint<OneParameter<FollowUp.ID>>(.post, "/follow-ups/:id/done", .owner, "Mark a follow-up done")
        static let keepInTouch = Endpoint<NoParameters>(.get, "/keep-in-touch", .caller, "Who is due for a catch-up, and follow-ups")
        static let reciprocity = Endpoint<NoParameters>(.get, "/reciprocity", .caller, "Give and take with each contact")
        static let notifications = Endpoint<NoParameters>(.get, "/notifications", .caller, "Reminders and notifications")
        static let markNotificationsRead = Endpoint<NoParameters>(.post, "/notifications/read", .caller, "Mark every notification read")

        static let all: [AnyEndpoint] = [
            list.erased, newContact.erased, create.erased, importForm.erased, importFile.erased, export.erased, show.erased, update.erased,
            delete.erased, logInteraction.erased, addFollowUp.erased, done.erased, snooze.erased, merge.erased, completeFollowUp.erased,
            keepInTouch.erased, reciprocity.erased, notifications.erased, markNotificationsRead.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}
