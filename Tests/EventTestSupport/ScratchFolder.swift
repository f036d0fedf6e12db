import Foundation

/// A fresh folder for a test, inside this test process's scratch folder.
public func temporaryDirectory(_ name: String = #function) -> String {
    let path = scratchFolder + "/\(name.filter(\.isLetter))-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// One folder per test process, removed when it exits: each run used to leave hundreds of broker
/// folders in the temporary directory.
public let scratchFolder: String = {
    let folder = NSTemporaryDirectory() + "eventcontracts-tests-\(UUID().uuidString)"
    try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(atPath: scratchFolder) }
    return folder
}()

/// Every file under `directory` (by relative path) with its bytes: to show that a command or a
/// refusal changed nothing on disk.
public func fileContents(under directory: String) -> [String: Data] {
    var files: [String: Data] = [:]
    for path in (try? FileManager.default.subpathsOfDirectory(atPath: directory)) ?? [] {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: directory + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue {
            files[path] = FileManager.default.contents(atPath: directory + "/" + path)
        }
    }
    return files
}
