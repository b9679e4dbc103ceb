// Tests that talk to a daemon get the client with the rest of the support code.
@_exported import UnixHTTP
