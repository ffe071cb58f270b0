import CMosquitto

extension MQTTClient {
    /// Applies every option to a fresh handle, before any connection exists.
    static func configure(_ handle: OpaquePointer, with options: MQTTClientOptions) throws(MQTTError) {
        let name = "configure MQTT client '\(options.clientID)' for \(options.endpoint)"

        try check(mosquitto_int_option(handle, MOSQ_OPT_PROTOCOL_VERSION, options.protocolVersion.mosquittoValue), name + " (protocol version)")

        if let credentials = options.credentials {
            // libmosquitto copies both strings; the password is never logged or kept by this module.
            try check(mosquitto_username_pw_set(handle, credentials.username, credentials.password), name + " (username/password)")
        }

        if let will = options.will {
            guard let length = Int32(exactly: will.payload.count) else {
                throw MQTTError(code: .payloadTooLarge, operation: name, rawCode: 0, message: "the last will payload is too large")
            }
            let rc = will.payload.withUnsafeBytes { bytes in
                mosquitto_will_set(handle, will.topic, length, bytes.baseAddress, will.qos.rawValue, will.retain)
            }
            try check(rc, name + " (last will on '\(will.topic)')")
        }

        if let tls = options.tls {
            guard (tls.certificateFile == nil) == (tls.keyFile == nil) else {
                throw MQTTError(
                    code: .invalidArgument, operation: name, rawCode: MOSQ_ERR_INVAL.rawValue,
                    message: "TLS client authentication needs both a certificate file and a key file; one of them is missing")
            }
            let rc = mosquitto_tls_set(handle, tls.caFile, nil, tls.certificateFile, tls.keyFile, nil)
            if rc == MOSQ_ERR_INVAL.rawValue {
                throw MQTTError(
                    code: .tls, operation: name, rawCode: rc,
                    message: "cannot read the TLS files: check that the CA file '\(tls.caFile)'"
                        + (tls.certificateFile.map { ", the client certificate '\($0)'" } ?? "")
                        + (tls.keyFile.map { " and its key '\($0)'" } ?? "")
                        + " exist and are readable by this user")
            }
            try check(rc, name + " (TLS)")
            try check(mosquitto_tls_insecure_set(handle, tls.allowInsecure), name + " (TLS insecure flag)")
        }

        // Without it Nagle holds each small PUBLISH until the broker ACKs the one before, and a broker
        // that only reads (QoS 0) ACKs late: up to its delayed-ACK timeout (40 ms) per stall. Batches are
        // coalesced with `publishingBatch` instead.
        try check(mosquitto_int_option(handle, MOSQ_OPT_TCP_NODELAY, 1), name + " (TCP_NODELAY)")

        try check(
            mosquitto_int_option(handle, MOSQ_OPT_SEND_MAXIMUM, Int32(clamping: max(1, options.maxInflightMessages))),
            name + " (max in-flight messages)")
    }

    private static func check(_ rc: Int32, _ operation: String) throws(MQTTError) {
        let savedErrno = errnoValue()
        guard rc == MOSQ_ERR_SUCCESS.rawValue else {
            throw MQTTError.mosquitto(rc, errno: savedErrno, operation: operation)
        }
    }
}
