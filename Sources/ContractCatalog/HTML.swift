/// Text made safe for HTML: every contract string (summaries, docs, names) passes through here,
/// so a contract cannot inject markup or script into the catalog.
enum HTML {
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    /// A whole page: the shared stylesheet, relative to `root` (`""` or `"../../"`), so the site
    /// works from `file://` with no server.
    static func page(title: String, root: String, body: String, scripts: [String] = []) -> String {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(escape(title))</title>
            <link rel="stylesheet" href="\(root)style.css">
            </head>
            <body>
            \(body)
            """
        for script in scripts { page += "<script src=\"\(root)\(script)\"></script>\n" }
        return page + "</body>\n</html>\n"
    }
}
