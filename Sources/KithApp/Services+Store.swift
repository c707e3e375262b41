public import Foundation
public import KithDomain
public import KithStorage
public import KithWeb

/// The wiring: every service of `Services` built on a store's repositories. Only this target (and
/// the command line, benchmarks and tests through it) sees storage; KithWeb cannot import it.
extension Services {
    public init(
        store: any Store,
        registration: RegistrationMode = .open,
        registrationsPerHour: Int = 10,
        hasher: any PasswordHasher,
        connectionSettings: ConnectionService.Settings = .init(),
        mail: any MailTransport = DiscardingMailTransport(),
        publicURL: String = "http://127.0.0.1:8080",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        let storeHealth: @Sendable () -> [HealthReading] = { store.diagnostics().readings + store.memberCards.readings }
        let members = SQLMemberRepository(store: store)
        let profileRepository = SQLProfileRepository(store: store)
        let blockRepository = SQLBlockRepository(store: store)
        let credentials = SQLCredentialRepository(store: store)
        let connectionRepository = SQLConnectionRepository(store: store, publicURL: publicURL)
        let attempts = SQLAttemptRepository(store: store)
        let graph = NetworkGraph(feed: SQLGraphFeed(store: store))
        let connectionLookup = GraphConnectionLookup(graph: graph)
        let accounts = AccountService(
            members: members,
            credentials: credentials,
            invitations: SQLInvitationRepository(store: store),
            attempts: attempts,
            resets: SQLPasswordResetRepository(store: store),
            pendingRegistrations: SQLPendingRegistrationRepository(store: store),
            publicURL: publicURL,
            hasher: hasher,
            settings: .init(
                registration: registration,
                registrationPerAddress: AccountService.Settings.registrations(perHour: registrationsPerHour)
            ),
            now: now
        )
        let twoFactor = TwoFactorService(
            members: members,
            repository: SQLTwoFactorRepository(store: store),
            attempts: attempts,
            hasher: hasher,
            now: now
        )
        let profiles = ProfileService(
            members: members,
            profiles: profileRepository,
            blocks: blockRepository,
            connections: connectionLookup,
            now: now
        )
        let directory = DirectoryService(directory: SQLMemberDirectory(store: store), connections: connectionLookup)
        let blocks = BlockService(members: members, blocks: blockRepository, connections: connectionRepository, graph: graph, now: now)
        let connections = ConnectionService(
            members: members,
            profiles: profileRepository,
            connections: connectionRepository,
            blocks: blockRepository,
            graph: graph,
            links: RouteLinks(),
            settings: connectionSettings,
            now: now
        )
        let relationships = RelationshipService(members: members, profiles: profileRepository, blocks: blockRepository, graph: graph)
        let suggestions = SuggestionService(
            profiles: profileRepository,
            blocks: blockRepository,
            requests: connectionRepository,
            graph: graph,
            now: now
        )
        let jobs = JobRunner(leases: SQLJobLeaseRepository(store: store), now: now)
        let contactRepository = SQLContactRepository(store: store)
        let exports = ExportService(
            members: members,
            profiles: profileRepository,
            blocks: blockRepository,
            credentials: credentials,
            contacts: contactRepository,
            conversations: SQLConversationRepository(store: store, publicURL: publicURL),
            asks: SQLAskRepository(store: store, publicURL: publicURL),
            looking: SQLLookingRepository(store: store, publicURL: publicURL),
            appPasswords: SQLAppPasswordRepository(store: store),
            now: now
        )
        let contacts = ContactService(
            contacts: contactRepository,
            members: members,
            profiles: profiles,
            blocks: blockRepository,
            graph: graph,
            now: now
        )
        let reminderRepository = SQLReminderRepository(store: store, publicURL: publicURL)
        // Signed with a secret the instances share (the first to need it stores it).
        let unsubscribe = UnsubscribeLinks(secret: { try await InstanceMarks(store: store).secret(named: "unsubscribe") })
        let reminders = ReminderService(
            reminders: reminderRepository,
            notifications: reminderRepository,
            transport: mail,
            publicURL: publicURL,
            links: RouteLinks(),
            unsubscribe: unsubscribe,
            now: now
        )
        let notifications = NotificationService(notifications: reminderRepository, unsubscribe: unsubscribe, now: now)
        let eventRepository = SQLEventRepository(store: store, publicURL: publicURL)
        let events = EventService(
            events: eventRepository,
            members: members,
            profiles: profileRepository,
            blocks: blockRepository,
            attempts: attempts,
            notifier: reminderRepository,
            links: RouteLinks(),
            now: now
        )
        let eventNetworking = EventNetworking(
            events: events,
            repository: eventRepository,
            relationships: relationships,
            profiles: profiles,
            contacts: contacts,
            graph: graph,
            connections: connectionRepository,
            profileRepository: profileRepository,
            blocks: blockRepository,
            now: now
        )
        let messages = MessageService(
            members: members,
            conversations: SQLConversationRepository(store: store, publicURL: publicURL),
            blocks: blockRepository,
            context: SQLSharedContext(store: store),
            links: RouteLinks(),
            now: now
        )
        let introductions = IntroductionService(
            asks: SQLAskRepository(store: store, publicURL: publicURL),
            members: members,
            blocks: blockRepository,
            graph: graph,
            messages: messages,
            contacts: contacts,
            connections: connectionRepository,
            links: RouteLinks(),
            now: now
        )
        let asks = HelpAskService(
            asks: SQLAskRepository(store: store, publicURL: publicURL),
            members: members,
            profiles: profileRepository,
            directory: SQLMemberDirectory(store: store),
            blocks: blockRepository,
            graph: graph,
            messages: messages,
            contacts: contacts,
            connections: connectionRepository,
            links: RouteLinks(),
            now: now
        )
        let looking = LookingService(
            looking: SQLLookingRepository(store: store, publicURL: publicURL),
            members: members,
            blocks: blockRepository,
            graph: graph,
            links: RouteLinks(),
            now: now
        )
        let plans = PlanService(
            plans: SQLPlanRepository(store: store),
            members: members,
            unsubscribe: unsubscribe,
            profiles: profileRepository,
            contacts: contacts,
            messages: messages,
            introductions: introductions,
            asks: asks,
            looking: looking,
            suggestions: suggestions,
            events: eventRepository,
            notifications: reminderRepository,
            links: RouteLinks(),
            publicURL: publicURL,
            now: now
        )
        self.init(
            accounts: accounts,
            twoFactor: twoFactor,
            profiles: profiles,
            directory: directory,
            blocks: blocks,
            exports: exports,
            graph: graph,
            connections: connections,
            relationships: relationships,
            suggestions: suggestions,
            jobs: jobs,
            contacts: contacts,
            reminders: reminders,
            events: events,
            eventNetworking: eventNetworking,
            messages: messages,
            notifications: notifications,
            plans: plans,
            introductions: introductions,
            asks: asks,
            looking: looking,
            appPasswords: AppPasswordService(passwords: SQLAppPasswordRepository(store: store), now: now),
            addressBook: AddressBook(contacts: contacts, cards: SQLAddressBookRepository(store: store), now: now),
            calendar: PersonalCalendar(
                events: events,
                plans: plans,
                contacts: contacts,
                sync: SQLCalendarSyncRepository(store: store),
                now: now
            ),
            storeHealth: storeHealth
        )
    }
}

extension StoreDiagnostics {
    /// The figures `/metrics` shows.
    var readings: [HealthReading] {
        [
            HealthReading(
                name: "kith_store_wal_frames",
                help: "Frames in SQLite's write-ahead log at the last checkpoint.",
                value: Double(walFrames)
            ),
            HealthReading(
                name: "kith_store_checkpoint_failures",
                help: "SQLite checkpoints that failed since the server started.",
                value: Double(checkpointFailures)
            ),
            HealthReading(
                name: "kith_store_checkpoints_behind",
                help: "SQLite checkpoints in a row that could not copy the whole log (a minute of them is logged).",
                value: Double(checkpointsBehind)
            ),
            HealthReading(
                name: "kith_store_writer_nice",
                help: "The SQLite writer thread's nice value (negative: it runs ahead of request threads).",
                value: Double(writerNice)
            ),
        ]
    }
}

extension MemberCards {
    /// The member cache on `/metrics`: how often lists found members and profiles in memory.
    var readings: [HealthReading] {
        let counts = self.counts
        return [
            HealthReading(
                name: "kith_member_cache_hits",
                help: "Members, profiles and affiliations read from this instance's member cache since it started.",
                value: Double(counts.hits)
            ),
            HealthReading(
                name: "kith_member_cache_misses",
                help: "Members, profiles and affiliations the member cache had to read from the database since it started.",
                value: Double(counts.misses)
            ),
            HealthReading(
                name: "kith_member_cache_profiles",
                help: "Profiles kept in the member cache now.",
                value: Double(counts.profiles)
            ),
        ]
    }
}
