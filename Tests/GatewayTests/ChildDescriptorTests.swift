import Glibc
import Testing
import TestSupport

/// The processes tests start (brokers, simulators, daemons) inherit nothing but their standard streams:
/// a descriptor another test holds open would otherwise live on in them.
@Suite struct ChildDescriptorTests {
    @Test func aChildSeesOnlyItsStandardStreams() async throws {
        let path = "/tmp/plantgate-child-fd-\(getpid())"
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)  // no O_CLOEXEC, as a careless open would
        try #require(fd >= 0)
        defer { close(fd); unlink(path) }
        let listing = try await ProcessRunner.runChecked("/bin/ls", ["-l", "/proc/self/fd"])
        #expect(!listing.standardOutput.contains(path), "the child holds the test's file open:\n\(listing.standardOutput)")
        // 0, 1, 2 and the directory ls itself reads.
        let descriptors = listing.standardOutput.split(separator: "\n").filter { $0.contains("->") }
        #expect(descriptors.count == 4, "\(listing.standardOutput)")
    }
}
