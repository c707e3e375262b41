extension Migration {
    /// Facts about the instance itself (today: whether its data is the published demo community).
    static let v012InstanceMarks = Migration(version: 12, name: "instance marks") { _ in
        ["CREATE TABLE instance_marks (key TEXT PRIMARY KEY, value TEXT NOT NULL)"]
    }
}
