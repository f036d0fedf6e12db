/// A position in a contract file, 1-based, with columns counted in Unicode scalars
/// (libyaml counts characters, and so does the caret we print under a source line).
public struct SourceLocation: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The file's path, as the user named it.
    public var file: String
    /// The line, from 1.
    public var line: Int
    /// The column, from 1, in Unicode scalars.
    public var column: Int

    /// Line `line`, column `column` of `file`.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// What it says, in one line.
    public var description: String { "\(file):\(line):\(column)" }

    /// `line:column`, for messages that point at a second place in the same file.
    public var lineColumn: String { "\(line):\(column)" }

    /// Orders as the reports do.
    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}

/// A value together with where it was written, so later stages can point at it.
public struct Located<Value> {
    /// The value.
    public var value: Value
    /// Where it was written (or, for a default, where the block that would hold it is).
    public var location: SourceLocation

    /// `value`, written at `location`.
    public init(_ value: Value, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

extension Located: Sendable where Value: Sendable {}
extension Located: Equatable where Value: Equatable {}
extension Located: Hashable where Value: Hashable {}
