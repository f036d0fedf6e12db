import EventTransport

/// Damage on disk that recovery will not cut away by itself: anything but the torn tail a crash
/// leaves. Opening refuses it and changes nothing; the message names the file, the place and
/// the two ways on (a backup, or an explicit repair that moves the damage into quarantine).
struct StorageDamage: Error, Sendable, Equatable, CustomStringConvertible {
    let path: String
    /// Where in the file, for people: "at byte 812 (the record after offset 41)".
    let place: String
    /// Why it is not a torn write.
    let reason: String
    /// The broker folder, for the commands the message suggests.
    let root: String

    var description: String {
        "\(path) is damaged \(place): \(reason). Nothing was changed. Restore the folder from a backup, or run "
            + "`eventc-ops broker repair \(root)` to move what is damaged into \(root)/quarantine and open the rest "
            + "(`eventc-ops broker verify \(root)` lists every damaged file)"
    }

    var transportError: TransportError { TransportError(.storage, description) }
}
