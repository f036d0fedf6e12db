/// The built-in field types of contract language v1.
public enum PrimitiveType: String, Hashable, Sendable, CaseIterable {
    /// `true` or `false`.
    case bool
    /// A 32-bit signed integer.
    case int
    /// A 64-bit signed integer.
    case long
    /// A 32-bit IEEE 754 number.
    case float
    /// A 64-bit IEEE 754 number.
    case double
    /// Unicode text.
    case string
    /// Bytes (base64 in JSON).
    case bytes
    /// A decimal number, kept exactly as its text.
    case decimal
    /// A UUID.
    case uuid
    /// An instant, to the nanosecond (RFC 3339 in JSON).
    case timestamp
    /// A calendar date without a time zone (`YYYY-MM-DD`).
    case date
}

/// A field's type as written: `string`, `Money`, `array<Money>?`, `map<array<int>>`.
public indirect enum TypeExpression: Hashable, Sendable, CustomStringConvertible {
    /// A built-in type.
    case primitive(PrimitiveType)
    /// A record or enum declared under `types:`, by its name.
    case named(String)
    /// `array<T>`: a list of values of the element type.
    case array(TypeExpression)
    /// `map<T>`: string keys to values of the value type.
    case map(TypeExpression)
    /// `T?`: the wrapped type, or null.
    case optional(TypeExpression)

    /// The canonical spelling, as a user would write it.
    public var description: String {
        switch self {
        case .primitive(let primitive): primitive.rawValue
        case .named(let name): name
        case .array(let element): "array<\(element)>"
        case .map(let value): "map<\(value)>"
        case .optional(let wrapped): "\(wrapped)?"
        }
    }

    /// Whether the outermost type is optional (`T?`): the field may be null and defaults to null.
    public var isOptional: Bool {
        if case .optional = self { return true }
        return false
    }

    /// The type without its outer `?`.
    public var nonOptional: TypeExpression {
        if case .optional(let wrapped) = self { return wrapped }
        return self
    }

    /// Every named type this expression mentions, outermost first.
    public var referencedNames: [String] {
        switch self {
        case .primitive: []
        case .named(let name): [name]
        case .array(let inner), .map(let inner), .optional(let inner): inner.referencedNames
        }
    }
}

/// Why a type expression could not be read; `offset` counts characters into the text.
public struct TypeExpressionError: Error, Hashable, Sendable {
    /// What is wrong, in a sentence.
    public var message: String
    /// Where, in characters from the start of the expression (the diagnostic's column points there).
    public var offset: Int
}

extension TypeExpression {
    /// Reads `T`, `T?`, `array<T>`, `map<T>` and their nestings. Spaces around brackets are allowed.
    public static func parse(_ text: String) -> Result<TypeExpression, TypeExpressionError> {
        // Most fields are a bare built-in type; skip the reader for them.
        if let primitive = PrimitiveType(rawValue: text) { return .success(.primitive(primitive)) }
        var reader = TypeExpressionReader(Array(text.unicodeScalars))
        return reader.readWhole()
    }
}

/// A recursive-descent reader over a type expression. Nesting is bounded by the text's length,
/// which the YAML reader already caps, so recursion here cannot run away.
private struct TypeExpressionReader {
    let scalars: [Unicode.Scalar]
    var position = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    mutating func readWhole() -> Result<TypeExpression, TypeExpressionError> {
        do {
            let type = try readType(depth: 0)
            skipSpaces()
            if position < scalars.count {
                throw TypeExpressionError(
                    message: "unexpected '\(scalars[position])' after type '\(type)'", offset: position)
            }
            return .success(type)
        } catch let error as TypeExpressionError {
            return .failure(error)
        } catch {
            return .failure(TypeExpressionError(message: "\(error)", offset: position))
        }
    }

    private mutating func skipSpaces() {
        while position < scalars.count, scalars[position] == " " { position += 1 }
    }

    private mutating func readType(depth: Int) throws(TypeExpressionError) -> TypeExpression {
        guard depth < 32 else {
            throw TypeExpressionError(message: "type is nested more than 32 levels deep", offset: position)
        }
        skipSpaces()
        let start = position
        while position < scalars.count, Self.isNameCharacter(scalars[position]) { position += 1 }
        // Name characters are ASCII, so each scalar is one UTF-8 byte.
        let name = String(decoding: scalars[start..<position].map { UInt8(truncatingIfNeeded: $0.value) }, as: UTF8.self)
        if name.isEmpty {
            let found = position < scalars.count ? "'\(scalars[position])'" : "the end"
            throw TypeExpressionError(message: "expected a type name, found \(found)", offset: position)
        }
        var type: TypeExpression
        skipSpaces()
        if name == "array" || name == "map" {
            guard position < scalars.count, scalars[position] == "<" else {
                throw TypeExpressionError(
                    message: "'\(name)' needs an element type, as in \(name)<string>", offset: position)
            }
            position += 1
            let element = try readType(depth: depth + 1)
            skipSpaces()
            guard position < scalars.count, scalars[position] == ">" else {
                throw TypeExpressionError(message: "expected '>' to close \(name)<…>", offset: position)
            }
            position += 1
            type = name == "array" ? .array(element) : .map(element)
        } else if let primitive = PrimitiveType(rawValue: name) {
            type = .primitive(primitive)
        } else {
            type = .named(name)
        }
        skipSpaces()
        if position < scalars.count, scalars[position] == "?" {
            position += 1
            type = .optional(type)
            skipSpaces()
            if position < scalars.count, scalars[position] == "?" {
                throw TypeExpressionError(message: "a type can be optional only once ('T?', not 'T??')", offset: position)
            }
        }
        return type
    }

    private static func isNameCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}
