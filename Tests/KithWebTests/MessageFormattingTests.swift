import Plot
import Testing

@testable import KithWeb

/// What members write is shown with light formatting and never as markup.
@Suite struct MessageFormattingTests {
    func html(_ text: String) -> String { MessageFormatting.render(text).render() }

    @Test func paragraphsListsAndLineBreaks() {
        #expect(html("one\ntwo\n\nthree") == "<p>one<br/>two</p><p>three</p>")
        #expect(html("Things:\n- a\n- b\nafter") == "<p>Things:</p><ul><li>a</li><li>b</li></ul><p>after</p>")
        #expect(html("1. first\n2. second") == "<ol><li>first</li><li>second</li></ol>")
    }

    @Test func emphasisCodeAndLinks() {
        #expect(html("**bold** and *em* and _em_") == "<p><strong>bold</strong> and <em>em</em> and <em>em</em></p>")
        #expect(html("`<b>` stays text") == "<p><code>&lt;b&gt;</code> stays text</p>")
        #expect(
            html("see https://kith.example/a?b=1&c=2.")
                == #"<p>see <a href="https://kith.example/a?b=1&amp;c=2" rel="nofollow ugc noopener noreferrer">https://kith.example/a?b=1&amp;c=2</a>.</p>"#
        )
        #expect(
            html("[site](https://kith.example)").contains(
                #"<a href="https://kith.example" rel="nofollow ugc noopener noreferrer">site</a>"#
            )
        )
    }

    @Test func markupAndUnsafeAddressesStayText() {
        #expect(html("<script>alert(1)</script>") == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>")
        #expect(!html("[x](javascript:alert(1))").contains("<a"))
        #expect(!html("[x](data:text/html,hi)").contains("<a"))
        #expect(html("2 * 3 * 4") == "<p>2 * 3 * 4</p>")
        #expect(html("a ** b") == "<p>a ** b</p>")
    }
}
