import ContractCatalog
import Foundation
import Testing
import ToolTestSupport

/// The catalog in a real browser: headless Chromium opens it from `file://`, takes screenshots,
/// reports every console message (the site logs nothing, so any message is an error: an uncaught
/// exception, a failed script) and runs the search.
@Suite("Event catalog in Chromium")
struct CatalogBrowserTests {
    static let chromium = ProcessInfo.processInfo.environment["EVENTC_CHROMIUM"]
        ?? ExternalTool.executable(named: ["chromium", "chromium-browser", "google-chrome"])

    /// Where the screenshots go (kept after the run, for people to look at).
    static let screenshots = repositoryRoot.appendingPathComponent(".build/catalog-screenshots")

    struct Page {
        var dom: String
        var console: [String]
    }

    static func writeSite() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("eventc-catalog-\(UUID().uuidString)")
        for file in CatalogSite.files(for: try CatalogSiteTests.exampleContracts()) {
            let url = folder.appendingPathComponent(file.path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(file.contents.utf8).write(to: url)
        }
        return folder
    }

    static func flags(_ extra: [String]) -> [String] {
        ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars", "--enable-logging=stderr", "--v=0"] + extra
    }

    /// The page's DOM after its scripts ran, and what it printed to the console.
    static func open(_ url: String, chromium: String) async throws -> Page {
        let (output, errors) = try await ExternalTool.runCapturingErrors(chromium, flags(["--dump-dom", url]))
        let console = errors.split(separator: "\n").filter { $0.contains(":CONSOLE") }.map(String.init)
        return Page(dom: String(decoding: output, as: UTF8.self), console: console)
    }

    static func screenshot(_ url: String, to name: String, size: String, dark: Bool = false, chromium: String) async throws -> URL {
        try FileManager.default.createDirectory(at: screenshots, withIntermediateDirectories: true)
        let file = screenshots.appendingPathComponent(name)
        try? FileManager.default.removeItem(at: file)
        try await ExternalTool.run(chromium, flags(["--window-size=\(size)", "--screenshot=\(file.path)", url] + (dark ? ["--force-dark-mode"] : [])))
        return file
    }

    @Test("pages load without console errors, screenshots are taken, and search finds an event by a field name",
          .enabled(if: chromium != nil, "needs Chromium (Debian's chromium); .ci/run installs it"))
    func catalogInBrowser() async throws {
        let chromium = try #require(Self.chromium)
        let site = try Self.writeSite()
        defer { try? FileManager.default.removeItem(at: site) }
        let index = "file://\(site.path)/index.html"
        let event = "file://\(site.path)/events/payments/PaymentCompleted.html"

        for url in [index, event] {
            let page = try await Self.open(url, chromium: chromium)
            #expect(page.console.isEmpty, "console output on \(url): \(page.console)")
            #expect(page.dom.contains("</main>"), "\(url) did not render")
        }
        // Search: a field of a nested record finds its event; the box is shown once scripts run.
        let search = try await Self.open(index + "?q=installments", chromium: chromium)
        #expect(search.console.isEmpty, "\(search.console)")
        #expect(!search.dom.contains("<form class=\"search\" id=\"search\" role=\"search\" hidden"))
        let results = try #require(search.dom.range(of: "<section id=\"results\"").map { String(search.dom[$0.lowerBound...]) })
        #expect(results.prefix(400).contains("events/payments/PaymentCompleted.html"))
        #expect(results.prefix(400).contains("matched field installments"))
        let none = try await Self.open(index + "?q=noSuchFieldAnywhere", chromium: chromium)
        #expect(none.dom.contains("<h2>0 events</h2>"))

        for (url, name, size, dark) in [(index, "index.png", "1280,1400", false), (event, "event.png", "1280,2400", false),
                                        (event, "event-phone-dark.png", "390,1600", true)] {
            let file = try await Self.screenshot(url, to: name, size: size, dark: dark, chromium: chromium)
            let bytes = try Data(contentsOf: file)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]) && bytes.count > 20_000, "\(name) is not a screenshot")
            print("CatalogBrowserTests: screenshot \(file.path) (\(bytes.count) bytes)")
        }
    }
}
