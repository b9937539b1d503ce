import Foundation
import LocalSecurityAuthority
import NTSecurity

/// The kernel objects GetKernelObjectSecurity and SetKernelObjectSecurity accept here.
///
/// Linux keeps no security descriptor on its kernel objects. Two kinds have one all the same:
/// a process, whose descriptor is the one Windows gives a process created with its token, and
/// a file descriptor of a file or directory, whose descriptor is the file's. Other file
/// descriptors (pipes, sockets, eventfd, …) and every other kind of Windows kernel object (threads,
/// tokens, events, mutexes, sections, …) are refused with ERROR_NOT_SUPPORTED.
public enum KernelObject: Sendable, Hashable {
  /// The process with this id (from `/proc`).
  case process(Int32)
  /// A file descriptor of this process open on a file or directory.
  case fileDescriptor(Int32)
}

extension FileSecurity {
  /// GetKernelObjectSecurity: the parts `information` selects of the descriptor of `object`.
  ///
  /// A process's descriptor is built from its primary token
  /// (`LocalSecurityAuthority.processToken(_:)`: the same rules and the same ERROR_ACCESS_DENIED
  /// for another user's process): owner the token's default owner, group its primary group, DACL
  /// its default DACL mapped to process rights (PROCESS_ALL_ACCESS for the user and SYSTEM), and
  /// with `.label` a mandatory label of its integrity level. A file descriptor's is the file's, as GetSecurityInfo reads it; a descriptor
  /// that is not open is ERROR_INVALID_HANDLE, one not on a file or directory ERROR_NOT_SUPPORTED.
  public func kernelObjectSecurity(
    of object: KernelObject, including information: SecurityInformation
  ) throws(NTSecurityError) -> SecurityDescriptor {
    switch object {
    case .process(let pid):
      let token = try LocalSecurityAuthority.processToken(pid)
      var sd = LocalSecurityAuthority.processDescriptor(token).selecting(information)
      if information.contains(.label) {
        sd.setSACL(present: true, LocalSecurityAuthority.processDescriptor(token).sacl)
      } else if information.contains(.sacl) {
        sd.setSACL(present: true, ACL())
      }
      return sd
    case .fileDescriptor(let fd):
      try Self.requireFileDescriptor(fd)
      return try descriptor(at: Self.path(of: fd), information: information)
    }
  }

  /// SetKernelObjectSecurity: sets the parts `information` selects of `descriptor` on `object`.
  ///
  /// On a file descriptor it is SetFileSecurity on the open file (the ACLs given replace the
  /// file's, no auto-inheritance, as NtSetSecurityObject; the POSIX side kept in step; the same
  /// privilege checks with `token`). A process is refused with ERROR_NOT_SUPPORTED: Linux keeps
  /// no per-process DACL, so a descriptor set there could not decide anything.
  public func setKernelObjectSecurity(
    of object: KernelObject, including information: SecurityInformation,
    _ descriptor: SecurityDescriptor, token: AccessToken? = nil
  ) throws(NTSecurityError) {
    switch object {
    case .process(let pid):
      throw NTSecurityError(
        .notSupported,
        "process \(pid): Linux keeps no per-process DACL, its descriptor is derived from its token")
    case .fileDescriptor(let fd):
      try Self.requireFileDescriptor(fd)
      try setSecurity(information, descriptor, at: Self.path(of: fd), token: token)
    }
  }

  /// Checks that `fd` is open on a file or directory.
  static func requireFileDescriptor(_ fd: Int32) throws(NTSecurityError) {
    var st = stat()
    guard fd >= 0, fstat(fd, &st) == 0 else {
      throw NTSecurityError(.invalidHandle, "file descriptor \(fd) is not open")
    }
    let type = st.st_mode & S_IFMT
    guard type == S_IFREG || type == S_IFDIR else {
      throw NTSecurityError(
        .notSupported, "file descriptor \(fd) is not a file or directory: it has no security descriptor")
    }
  }
}
