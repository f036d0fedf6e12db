/// Generated code names the runtime API version it was written for; a runtime without that
/// protocol fails to compile it, rather than misbehaving at run time (swift-protobuf's approach).
/// Each version refines the one before, so code generated for an older version still compiles
/// against a newer runtime.
///
/// For generated code and the runtime's formats: applications do not use it directly.
public protocol EventRuntimeAPIVersion_1 {}
/// Version 2 adds `TimeOrderedUUID` (events published without an id get a time-ordered one).
public protocol EventRuntimeAPIVersion_2: EventRuntimeAPIVersion_1 {}
/// Version 3 moves decoding into the runtime: generated decoders describe their fields with
/// `JSONNames` and call `JSONReader.readObject`, so a decoding fix reaches every user with a
/// new runtime, without regenerating.
public protocol EventRuntimeAPIVersion_3: EventRuntimeAPIVersion_2 {}

/// What each generated file declares: `Version` names the API version it was generated for, a
/// protocol only a runtime that provides that version defines (a mismatch does not compile).
///
/// For generated code and the runtime's formats: applications do not use it directly.
public protocol EventRuntimeAPIVersionCheck {
    /// The API version the file was generated for.
    associatedtype Version: EventRuntimeAPIVersion_1
}
/// Version 4 makes generated code format-neutral: types describe their fields once
/// (`EventRecord.traverse`, `init(from:)`, `EventEnum`) and embed each version's Avro schema
/// (`EventSchemaSet`); JSON and Avro binary are the runtime's formats, reading older versions
/// through read plans the runtime builds from those schemas.
public protocol EventRuntimeAPIVersion_4: EventRuntimeAPIVersion_3 {}
