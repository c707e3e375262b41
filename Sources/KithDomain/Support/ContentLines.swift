/// The content-line rules vCard (RFC 6350) and iCalendar (RFC 5545) share: TEXT values escape
/// backslash, comma, semicolon and line breaks; lines fold at 75 octets (CRLF + one space)
/// without splitting a UTF-8 character.
public enum ContentLines {
    public static func escape(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case ",": result += "\\,"
            case ";": result += "\\;"
            case "\n", "\r\n": result += "\\n"
            case "\r": continue
            default: result.append(character)
            }
        }
        return result
    }

    public static func fold(_ line: String) -> String {
        var output = ""
        var count = 0
        for character in line {
            let size = String(character).utf8.count
            if count + size > 75 {
                output += "\r\n "
                count = 1
            }
            output.append(character)
            count += size
        }
        return output + "\r\n"
    }
}
