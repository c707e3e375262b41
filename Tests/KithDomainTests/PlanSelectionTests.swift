import KithDomain
import Testing

/// Which of the candidates a week's plan keeps.
@Suite struct PlanSelectionTests {
    static func item(_ kind: PlanItemKind, _ index: Int) -> PlanItem {
        PlanItem(key: "\(kind.rawValue):\(index)", kind: kind, text: "\(kind.rawValue) \(index)", link: "/")
    }

    @Test func everyKindGetsAPlaceBeforeAnyKindGetsASecond() {
        let candidates =
            (0..<4).map { Self.item(.followUp, $0) } + (0..<3).map { Self.item(.keepInTouch, $0) }
            + [Self.item(.thank, 0), Self.item(.meet, 0)]
        let chosen = WeeklyPlan.varied(candidates, room: 6)
        #expect(chosen.count == 6)
        #expect(Set(chosen.map(\.kind)) == [.followUp, .keepInTouch, .thank, .meet])
        // The rest of the room goes to the most pressing (earliest) candidates, in their order.
        #expect(chosen.map(\.key) == ["follow_up:0", "follow_up:1", "follow_up:2", "keep_in_touch:0", "thank:0", "meet:0"])
    }

    @Test func fewCandidatesAreAllKeptAndNoneInvented() {
        let candidates = [Self.item(.question, 0), Self.item(.question, 1)]
        #expect(WeeklyPlan.varied(candidates, room: 6) == candidates)
        #expect(WeeklyPlan.varied([], room: 6).isEmpty)
        #expect(WeeklyPlan.varied(candidates, room: 1) == [candidates[0]])
    }
}
