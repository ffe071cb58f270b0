/// Decides which metadata keys must never show their value in a log line (passwords, tokens, keys).
///
/// A key is redacted when it contains any of ``keyFragments``, ignoring case, so `mqtt_password`,
/// `apiToken` and `tls.client_secret` are all caught. Redacted values print as `<redacted>`.
public struct MetadataRedaction: Sendable, Equatable {
    /// Lower-case fragments that mark a key as secret.
    public var keyFragments: [String]

    /// The replacement printed instead of a secret value.
    public static let placeholder = "<redacted>"

    /// The rule plantgate uses: password, passwd, secret, token, credential, private key and API key.
    public static let secrets = MetadataRedaction(
        keyFragments: ["password", "passwd", "secret", "token", "credential", "privatekey", "private_key", "apikey", "api_key"]
    )

    /// Creates a rule from lower-case key fragments.
    public init(keyFragments: [String]) {
        self.keyFragments = keyFragments.map { $0.lowercased() }
    }

    /// Whether the value under `key` must be hidden.
    public func redacts(key: String) -> Bool {
        let lowered = key.lowercased()
        return self.keyFragments.contains { lowered.contains($0) }
    }
}
