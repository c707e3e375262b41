import Hummingbird
import KithDomain

/// The contacts routes: each written once, here (see `Endpoint`).
enum ContactRoutes {
    enum API {
        static let list = Endpoint<NoParameters>(
            .get,
            "/api/v1/contacts",
            .caller,
            "The caller's contacts (private), by name",
            operation: APIOperation(
                "listContacts",
                query: [.text("q"), .text("tag"), .oneOf("status", ContactStatus.self), .text("after"), .limit],
                .json("Contacts", ListDTO<ContactRecordDTO>.self),
                errors: [422]
            )
        )
        static let create = Endpoint<NoParameters>(
            .post,
            "/api/v1/contacts",
            .caller,
            "Add a contact to the caller's relationship manager",
            input: ContactsAPIController.ContactBody.self,
            operation: APIOperation("createContact", .json(201, "Created", ContactRecordDTO.self), errors: [400, 409, 413, 422])
        )
        static let importFile = Endpoint<NoParameters>(
            .post,
            "/api/v1/contacts/import",
            .caller,
            "Import a vCard (3.0/4.0) or LinkedIn Connections.csv file; duplicates merge",
            operation: APIOperation(
                "importContacts",
                query: [.oneOf("format", ContactFileFormat.self)],
                .json("Import report", ImportReportDTO.self),
                errors: [413, 422],
                upload: ["text/vcard", "text/csv", "text/plain"]
            )
        )
        static let export = Endpoint<NoParameters>(
            .get,
            "/api/v1/contacts/export",
            .caller,
            "Export",
            operation: APIOperation(
                "exportContacts",
                query: [.values("format", ["vcard"]), .values("version", ["3.0", "4.0"])],
                .text("text/vcard", "vCards"),
                errors: [422]
            )
        )
        static let duplicates = Endpoint<NoParameters>(
            .get,
            "/api/v1/contacts/duplicates",
            .caller,
            "Pairs of the caller's contacts that share an email or a name",
            operation: APIOperation("contactDuplicates", .json("Possible duplicates", DuplicatesDTO.self))
        )
        static let show = Endpoint<OneParameter<Contact.ID>>(
            .get,
            "/api/v1/contacts/:id",
            .owner,
            "A contact with its timeline, follow-ups and ledger",
            operation: APIOperation("showContact", .json("Contact", ContactDetailDTO.self), errors: [404])
        )
        static let update = Endpoint<OneParameter<Contact.ID>>(
            .patch,
            "/api/v1/contacts/:id",
            .owner,
            "Change a contact (absent fields stay; cadence_days 0 follows the tags)",
            input: ContactsAPIController.ContactBody.self,
            operation: APIOperation("updateContact", .json("Updated", ContactRecordDTO.self), errors: [400, 404, 409, 413, 422])
        )
        static let delete = Endpoint<OneParameter<Contact.ID>>(
            .delete,
            "/api/v1/contacts/:id",
            .owner,
            "Delete a contact and its timeline",
            operation: APIOperation("deleteContact", .empty("Deleted"), errors: [404])
        )
        static let logInteraction = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/interactions",
            .owner,
            "Log an interaction; the keep-in-touch timer starts again from it",
            input: ContactsAPIController.InteractionBody.self,
            operation: APIOperation("logInteraction", .json(201, "Logged", LoggedInteractionDTO.self), errors: [400, 404, 413, 422])
        )
        static let interactions = Endpoint<OneParameter<Contact.ID>>(
            .get,
            "/api/v1/contacts/:id/interactions",
            .owner,
            "A contact's timeline, newest first",
            operation: APIOperation("listInteractions", .json("Interactions", ListDTO<InteractionDTO>.self), errors: [404])
        )
        static let addFollowUp = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/follow-ups",
            .owner,
            "Plan a follow-up; a reminder arrives when it is due",
            input: ContactsAPIController.FollowUpBody.self,
            operation: APIOperation("addFollowUp", .json(201, "Planned", FollowUpDTO.self), errors: [400, 404, 413, 422])
        )
        static let snooze = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/snooze",
            .owner,
            "Put keeping in touch off for some days",
            input: ContactsAPIController.SnoozeBody.self,
            operation: APIOperation("snoozeContact", .json("Snoozed", ContactRecordDTO.self), errors: [400, 404, 413, 422])
        )
        static let done = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/done",
            .owner,
            "Mark as in touch now (logs a message)",
            operation: APIOperation("markInTouch", .json("In touch", ContactRecordDTO.self), errors: [404])
        )
        static let merge = Endpoint<OneParameter<Contact.ID>>(
            .post,
            "/api/v1/contacts/:id/merge",
            .owner,
            "Merge another contact (from) into this one: details, interactions and follow-ups move here",
            input: ContactsAPIController.MergeBody.self,
            operation: APIOperation("mergeContacts", .json("Merged", ContactRecordDTO.self), errors: [400, 404, 413, 422])
        )
        static let followUps = Endpoint<NoParameters>(
            .get,
            "/api/v1/follow-ups",
            .caller,
            "The caller's open follow-ups, soonest first",
            operation: APIOperation("listFollowUps", .json("Follow-ups", ListDTO<FollowUpDTO>.self))
        )
        static let completeFollowUp = Endpoint<OneParameter<FollowUp.ID>>(
            .post,
            "/api/v1/follow-ups/:id/done",
            .owner,
            "Mark a follow-up done",
            operation: APIOperation("completeFollowUp", .json("Done", FollowUpDTO.self), errors: [404])
        )
        static let keepInTouch = Endpoint<NoParameters>(
            .get,
            "/api/v1/keep-in-touch",
            .caller,
            "Who is due and overdue, open follow-ups, and dormant ties worth reviving",
            operation: APIOperation("keepInTouch", .json("Keep in touch", KeepInTouchDTO.self))
        )
        static let reciprocity = Endpoint<NoParameters>(
            .get,
            "/api/v1/reciprocity",
            .caller,
            "Help given and received, per contact and in total",
            operation: APIOperation("reciprocity", .json("Ledger", ReciprocityDTO.self))
        )
        static let cadences = Endpoint<NoParameters>(
            .get,
            "/api/v1/cadences",
            .caller,
            "Keep-in-touch cadences per tag (the caller's and the defaults)",
            operation: APIOperation("listCadences", .json("Cadences", ListDTO<CadenceDTO>.self))
        )
        static let setCadence = Endpoint<OneParameter<String>>(
            .put,
            "/api/v1/cadences/:tag",
            .caller,
            "Set a tag's cadence",
            input: ContactsAPIController.CadenceBody.self,
            operation: APIOperation("setCadence", .json("Set", CadenceDTO.self), errors: [400, 413, 422])
        )
        static let deleteCadence = Endpoint<OneParameter<String>>(
            .delete,
            "/api/v1/cadences/:tag",
            .caller,
            "Remove the caller's cadence for a tag",
            operation: APIOperation("deleteCadence", .empty("Removed"), errors: [404])
        )

        static let all: [AnyEndpoint] = [
            list.erased, create.erased, importFile.erased, export.erased, duplicates.erased, show.erased, update.erased, delete.erased,
            logInteraction.erased, interactions.erased, addFollowUp.erased, snooze.erased, done.erased, merge.erased, followUps.erased,
            completeFollowUp.erased, keepInTouch.erased, reciprocity.erased, cadences.erased, setCadence.erased, deleteCadence.erased,
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

        static let all: [AnyEndpoint] = [
            list.erased, newContact.erased, create.erased, importForm.erased, importFile.erased, export.erased, show.erased, update.erased,
            delete.erased, logInteraction.erased, addFollowUp.erased, done.erased, snooze.erased, merge.erased, completeFollowUp.erased,
            keepInTouch.erased, reciprocity.erased,
        ]
    }

    static let all: [AnyEndpoint] = API.all + Pages.all
}
