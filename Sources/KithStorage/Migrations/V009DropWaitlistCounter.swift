extension Migration {
    /// Places in line follow MAX(waitlist_seq) among those still waiting (in the RSVP's own
    /// transaction), so the per-event counter written by the first events release is not read.
    static let v009DropWaitlistCounter = Migration(version: 9, name: "drop the unused waitlist counter") { _ in
        ["ALTER TABLE events DROP COLUMN waitlist_counter"]
    }
}
