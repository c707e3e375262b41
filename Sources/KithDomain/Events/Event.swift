public import Foundation

public enum EventFormat: String, Sendable, CaseIterable, Codable {
    case reunion, conference, meetup, workshop
    case smallCircle = "small_circle"
    case onlineCoffee = "online_coffee"

    public var label: String {
        switch self {
        case .reunion: "Reunion"
        case .conference: "Conference"
        case .meetup: "Meetup"
        case .workshop: "Workshop"
        case .smallCircle: "Small circle"
        case .onlineCoffee: "Online coffee"
        }
    }

    /// Small circles stay small: at most eight people, for members who find big rooms hard.
    public static let smallCircleLimit = 8
}

/// An event. Times are instants; `timeZone` is the IANA zone they are shown in.
public struct Event: Sendable, Equatable, Identifiable {
    public typealias ID = Identifier<Event>

    public var id: ID
    public var organizerID: Member.ID
    public var title: String
    public var description: String
    public var format: EventFormat
    public var startsAt: Date
    public var endsAt: Date
    public var timeZone: String
    public var location: String
    public var onlineURL: String
    public var capacity: Int?
    /// A cohort key (e.g. "class of 2015"): the audience, and for reunions who is invited.
    public var audienceCohort: String
    public var rsvpDeadline: Date?
    /// What attendees type to check themselves in.
    public var checkInCode: String
    public var cancelledAt: Date?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID,
        organizerID: Member.ID,
        title: String,
        description: String,
        format: EventFormat,
        startsAt: Date,
        endsAt: Date,
        timeZone: String,
        location: String,
        onlineURL: String,
        capacity: Int?,
        audienceCohort: String,
        rsvpDeadline: Date?,
        checkInCode: String,
        cancelledAt: Date? = nil,
        createdAt: Date,
        updatedAt: Date
    ) {
        self.id = id
        self.organizerID = organizerID
        self.title = title
        self.description = description
        self.format = format
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.location = location
        self.onlineURL = onlineURL
        self.capacity = capacity
        self.audienceCohort = audienceCohort
        self.rsvpDeadline = rsvpDeadline
        self.checkInCode = checkInCode
        self.cancelledAt = cancelledAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

public enum RSVPStatus: String, Sendable, CaseIterable, Codable {
    case going, waitlisted, maybe
    case notGoing = "not_going"
}

/// What a member asked for; `going` may land on the waitlist.
public enum RSVPChoice: String, Sendable, CaseIterable {
    case going, maybe
    case notGoing = "not_going"
}

public struct RSVP: Sendable, Equatable {
    public var eventID: Event.ID
    public var member: Member
    public var status: RSVPStatus
    /// 1 for the first in line; nil unless waitlisted.
    public var waitlistPosition: Int?
    public var respondedAt: Date
    public var checkedInAt: Date?

    public init(eventID: Event.ID, member: Member, status: RSVPStatus, waitlistPosition: Int?, respondedAt: Date, checkedInAt: Date?) {
        self.eventID = eventID
        self.member = member
        self.status = status
        self.waitlistPosition = waitlistPosition
        self.respondedAt = respondedAt
        self.checkedInAt = checkedInAt
    }
}

/// What an RSVP did: the caller's standing, and who moved up from the waitlist because of it.
public struct RSVPOutcome: Sendable, Equatable {
    public var status: RSVPStatus
    public var waitlistPosition: Int?
    public var promoted: [Member.ID]

    public init(status: RSVPStatus, waitlistPosition: Int?, promoted: [Member.ID]) {
        self.status = status
        self.waitlistPosition = waitlistPosition
        self.promoted = promoted
    }
}

/// An event with its counts and the viewer's own answer.
public struct EventView: Sendable, Equatable {
    public var event: Event
    public var organizer: Member?
    public var goingCount: Int
    public var waitlistCount: Int
    public var maybeCount: Int
    public var myRSVP: RSVPStatus?
    public var myWaitlistPosition: Int?
    public var isOrganizer: Bool

    public var isFull: Bool { event.capacity.map { goingCount >= $0 } ?? false }
}

/// An event as a caller sends it. On update, absent fields stay as they are.
public struct EventInput: Sendable {
    public var title: String?
    public var description: String?
    public var format: String?
    public var startsAt: String?
    public var endsAt: String?
    public var timeZone: String?
    public var location: String?
    public var onlineURL: String?
    /// 0 removes the limit.
    public var capacity: Int?
    public var audienceCohort: String?
    public var rsvpDeadline: String?

    public init(
        title: String? = nil,
        description: String? = nil,
        format: String? = nil,
        startsAt: String? = nil,
        endsAt: String? = nil,
        timeZone: String? = nil,
        location: String? = nil,
        onlineURL: String? = nil,
        capacity: Int? = nil,
        audienceCohort: String? = nil,
        rsvpDeadline: String? = nil
    ) {
        self.title = title
        self.description = description
        self.format = format
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.timeZone = timeZone
        self.location = location
        self.onlineURL = onlineURL
        self.capacity = capacity
        self.audienceCohort = audienceCohort
        self.rsvpDeadline = rsvpDeadline
    }
}
