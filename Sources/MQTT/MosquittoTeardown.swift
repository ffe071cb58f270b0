import CMosquitto

/// The end of a libmosquitto handle's life, in the only safe order: DISCONNECT and join the network
/// thread, destroy the handle, then release the callback context (no callback can reach it any more).
///
/// `@unchecked Sendable` so `MQTTClient.deinit` can hand it to another thread when the last reference
/// to the client died on the network thread itself; nothing else holds the handle by then.
struct MosquittoTeardown: @unchecked Sendable {
    let handle: OpaquePointer
    let contextPointer: UnsafeMutableRawPointer
    let network: MosquittoIOThread?

    func run() {
        network?.stop()
        mosquitto_destroy(handle)
        let context = Unmanaged<MosquittoCallbackContext>.fromOpaque(contextPointer)
        context.takeUnretainedValue().finishEvents()
        context.release()
    }
}
