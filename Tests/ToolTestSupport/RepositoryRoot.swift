import Foundation

/// The repository's root folder: tests read the README, the contracts, fixtures and scripts from it.
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
