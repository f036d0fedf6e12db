import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The 100-byte header of an SQLite database file, checked before SQLite opens it: a file cut
/// short (a partial copy, a full disk) still opens, and reads as if its missing pages never
/// existed. The header says how many pages the file holds when that count is current (its
/// "version-valid-for" equals the change counter, as every SQLite since 3.7.0 writes it).
enum SQLiteFileHeader {
    static func check(_ path: String) throws(SQLiteError) {
        var status = stat()
        guard stat(path, &status) == 0 else { return }  // SQLite creates it
        guard status.st_mode & S_IFMT == S_IFREG else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "not a regular file; move it away or check the path", path: path)
        }
        let size = Int(status.st_size)
        guard size > 0 else { return }  // An empty file is an empty database, for SQLite too.
        let header = try readPrefix(path, count: 100)
        guard header.count == 100, header.starts(with: Array("SQLite format 3\0".utf8)) else {
            throw SQLiteError(
                code: SQLITE_NOTADB,
                message: size < 100 ? "the file is \(size) bytes, shorter than an SQLite header: it was cut short; restore it from a backup"
                    : "not an SQLite database (its header is not SQLite's); check the path",
                path: path)
        }
        let pageSizeField = Int(header[16]) << 8 | Int(header[17])
        let pageSize = pageSizeField == 1 ? 65_536 : pageSizeField
        let changeCounter = bigEndian(header, at: 24)
        let pageCount = bigEndian(header, at: 28)
        let validFor = bigEndian(header, at: 92)
        guard validFor == changeCounter, pageCount > 0, pageSize >= 512 else { return }
        // A checkpoint writes page 1 first, so one interrupted leaves a header ahead of the file;
        // the write-ahead log still holds those pages and SQLite finishes the job on open (and
        // the quick check reads through it). Without a log, the header is the truth.
        var log = stat()
        if stat(path + "-wal", &log) == 0, log.st_size > 0 { return }
        let expected = Int(pageCount) * pageSize
        guard size >= expected else {
            throw SQLiteError(
                code: SQLITE_CORRUPT,
                message: "the file is \(size) bytes but its header says \(pageCount) pages of \(pageSize) (\(expected) bytes): "
                    + "it was cut short; nothing was written to it. Restore it from a backup, or move it away to start "
                    + "with an empty one (what it deduplicated is then forgotten)",
                path: path)
        }
    }

    private static func readPrefix(_ path: String, count: Int) throws(SQLiteError) -> [UInt8] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SQLiteError(code: SQLITE_CANTOPEN, message: "cannot read: \(String(cString: strerror(errno)))", path: path)
        }
        defer { close(descriptor) }
        var bytes = [UInt8](repeating: 0, count: count)
        let got = bytes.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, count) }
        return Array(bytes.prefix(max(0, got)))
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<(offset + 4)].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
