import Foundation
import LocalSecurityAuthority
import NTSecurity
import TestPeers
import Testing

@testable import ObjectSecurity

/// GetKernelObjectSecurity and SetKernelObjectSecurity: processes from /proc, open files, and
/// the kernel objects refused.
@Suite(.serialized) struct KernelObjectSecurityTests {
  let store = FileSecurity(attributeName: NTACLAttribute.securityName)
  static let processAllAccess = AccessMask(rawValue: 0x1F_FFFF)

  init() throws {
    guard geteuid() == 0 else { throw TestFailure(text: "these tests write security.NTACL and need root") }
  }

  @Test("a process's descriptor is the one Windows gives it: its token's owner, group and default DACL")
  func processDescriptor() throws {
    let child = Process()
    child.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
    child.arguments = ["--reuid=65534", "--regid=65534", "--clear-groups", "/bin/sleep", "30"]
    try child.run()
    defer { child.terminate() }
    Thread.sleep(forTimeInterval: 0.3)
    let pid = child.processIdentifier
    let token = try LocalSecurityAuthority.processToken(pid)
    #expect(token.user.sid != (try LocalSecurityAuthority.processToken(getpid())).user.sid)

    let sd = try store.kernelObjectSecurity(of: .process(pid), including: [.owner, .group, .dacl])
    #expect(sd.owner == token.user.sid, "a user's process is owned by the user")
    #expect(sd.group == token.primaryGroup)
    let aces = try #require(sd.dacl?.aces)
    #expect(aces.first?.sid == token.user.sid && aces.first?.mask == Self.processAllAccess)
    #expect(aces.contains { $0.sid == .localSystem && $0.mask == Self.processAllAccess })
    #expect(aces.allSatisfy { $0.type == .accessAllowed && $0.mask.rawValue & 0xF000_0000 == 0 })
    #expect(!sd.control.contains(.saclPresent))

    let labelled = try store.kernelObjectSecurity(of: .process(pid), including: [.label])
    #expect(labelled.owner == nil && labelled.dacl == nil)
    let label = try #require(labelled.sacl?.aces.first)
    #expect(label.type == .systemMandatoryLabel && label.sid == .mediumLabel && label.mask.rawValue == 3)

    // Root's own process: owned by BUILTIN\Administrators, as an elevated token's default owner.
    let own = try store.kernelObjectSecurity(of: .process(getpid()), including: [.owner])
    #expect(own.owner == .builtinAdministrators)
  }

  @Test("processes: no such pid, and SetKernelObjectSecurity refused with ERROR_NOT_SUPPORTED")
  func processRefusals() throws {
    #expect(throws: NTSecurityError.self) {
      try store.kernelObjectSecurity(of: .process(Int32.max), including: [.owner])
    }
    let sd = try SecurityDescriptor(sddl: "D:(A;;0x1fffff;;;WD)")
    do {
      try store.setKernelObjectSecurity(of: .process(getpid()), including: [.dacl], sd)
      Issue.record("a process's DACL was accepted")
    } catch {
      #expect(error.code == .notSupported)
    }
  }

  @Test("a file descriptor: its file's descriptor, set as SetFileSecurity sets it")
  func fileDescriptor() throws {
    let work = try TemporaryDirectory.make("objsec-kernel")
    defer { try? FileManager.default.removeItem(atPath: work) }
    let path = try SambaNTACLTests.makeFile(work, "f")
    let fd = open(path, O_RDONLY)
    try #require(fd >= 0)
    defer { close(fd) }
    #expect(
      try store.kernelObjectSecurity(of: .fileDescriptor(fd), including: [.owner, .dacl])
        == (try store.descriptor(at: path, information: [.owner, .dacl])))

    let sd = try SecurityDescriptor(
      sddl: "O:S-1-22-1-0G:S-1-22-2-0D:P(A;;FA;;;S-1-22-1-0)(A;;FR;;;S-1-22-1-1200)(D;;FW;;;WD)")
    try store.setKernelObjectSecurity(of: .fileDescriptor(fd), including: [.owner, .group, .dacl], sd)
    let read = try store.descriptor(at: path, information: [.owner, .group, .dacl])
    #expect(read.dacl?.aces == sd.dacl?.aces && read.owner == sd.owner && read.group == sd.group)
    #expect(try store.kernelObjectSecurity(of: .fileDescriptor(fd), including: [.dacl]).dacl == sd.dacl)
  }

  @Test("file descriptors that are not files: ERROR_NOT_SUPPORTED; not open: ERROR_INVALID_HANDLE")
  func otherDescriptors() throws {
    var ends: [Int32] = [0, 0]
    try #require(pipe(&ends) == 0)
    defer {
      close(ends[0])
      close(ends[1])
    }
    for (fd, code) in [(ends[0], WindowsError.notSupported), (Int32(9999), .invalidHandle)] {
      do {
        _ = try store.kernelObjectSecurity(of: .fileDescriptor(fd), including: [.dacl])
        Issue.record("fd \(fd) gave a descriptor")
      } catch {
        #expect(error.code == code, "fd \(fd)")
      }
      do {
        try store.setKernelObjectSecurity(of: .fileDescriptor(fd), including: [.dacl], SecurityDescriptor())
        Issue.record("fd \(fd) took a descriptor")
      } catch {
        #expect(error.code == code, "fd \(fd)")
      }
    }
  }
}
