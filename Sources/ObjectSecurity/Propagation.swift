import NTSecurity

extension FileSecurity {
  /// Recomputes the inherited ACEs of everything below `directory` from its (already written)
  /// descriptor, as SetNamedSecurityInfo and `icacls /T` do: each child keeps its owner, group and
  /// explicit ACEs, takes what its parent now passes on (nothing where its ACL is protected), and
  /// is written in one atomic attribute write after its POSIX side, so an interruption leaves
  /// every file with a valid descriptor: the old one, the new one, or (killed between the POSIX
  /// change and the attribute write of one file) the POSIX mapping, as Samba shows it then.
  /// Symbolic links below `directory` are skipped, and no call on a path follows a final
  /// symbolic link, so a link planted in the tree never redirects a write to a file outside it.
  ///
  /// - Parameters:
  ///   - directory: the directory whose descriptor is already written.
  ///   - resetChildren: also drop the explicit ACEs and protection of everything below
  ///     (`icacls /reset /T` on the children).
  ///   - token: the caller's token, or nil for the process (root may write everything). With a
  ///     token, as Windows propagates with the caller's rights, each child whose descriptor does
  ///     not grant the token WRITE_DAC is left as it is with everything below it, the rest is
  ///     updated, and the call then fails with ERROR_ACCESS_DENIED naming the children skipped.
  ///   - progress: called after each file with the count so far and the file's path.
  /// - Returns: the number of files and directories visited.
  @discardableResult
  public func propagate(
    from directory: String, resetChildren: Bool = false, token: AccessToken? = nil,
    progress: ((Int, String) -> Void)? = nil
  ) throws(NTSecurityError) -> Int {
    var walk = Walk(token: token, progress: progress)
    try propagate(directory, try descriptor(at: directory), &walk, reset: resetChildren)
    guard walk.denied.isEmpty else {
      throw NTSecurityError(
        .accessDenied,
        "the token lacks WRITE_DAC on \(walk.denied.joined(separator: ", ")): left unchanged with what is below"
      )
    }
    return walk.count
  }

  /// The state of one propagation: who asks, what was visited, what was refused.
  private struct Walk {
    var token: AccessToken?
    var progress: ((Int, String) -> Void)?
    var count = 0
    var denied: [String] = []
  }

  /// `icacls PATH /reset [/T]`: drops the explicit ACEs of the DACL and its protection, so that it
  /// holds only what the parent passes on; with `recurse`, the same for everything below.
  public func resetSecurity(
    at path: String, recurse: Bool, progress: ((Int, String) -> Void)? = nil
  ) throws(NTSecurityError) {
    var sd = try descriptor(at: path)
    let isDirectory = try posixSecurity(at: path).status.isDirectory
    sd = Self.reset(sd)
    let parentPath = Self.parent(of: path)
    if parentPath != path {
      sd = try Self.child(sd, under: try descriptor(at: parentPath), isDirectory: isDirectory)
    }
    try write(sd, at: path, changing: [.dacl])
    var walk = Walk(token: nil, progress: progress, count: 1)
    progress?(1, path)
    if isDirectory {
      try propagate(path, sd, &walk, reset: recurse)
    }
  }

  static func reset(_ sd: SecurityDescriptor) -> SecurityDescriptor {
    var out = sd
    out.setDACL(present: true, ACL(aces: sd.dacl?.aces.filter { $0.flags.contains(.inherited) } ?? []))
    out.control.remove(.daclProtected)
    return out
  }

  private func propagate(
    _ directory: String, _ parent: SecurityDescriptor, _ walk: inout Walk, reset: Bool
  ) throws(NTSecurityError) {
    for entry in try FileSystemCalls.entries(of: directory) {
      let path = directory + "/" + entry.name
      let (current, posix) = try descriptorAndPOSIX(at: path)
      if let token = walk.token {
        let check = try AccessCheck.evaluate(
          token: token, descriptor: current, desired: AccessMask(rawValue: 0x4_0000),
          mapping: .file, objectTypes: [])
        guard check.isGranted else {
          walk.denied.append(path)
          continue
        }
      }
      let updated = try Self.child(
        reset ? Self.reset(current) : current, under: parent, isDirectory: entry.isDirectory)
      if updated != current {
        try write(updated, at: path, changing: [.dacl], posix: posix)
      }
      walk.count += 1
      walk.progress?(walk.count, path)
      if entry.isDirectory {
        try propagate(path, updated, &walk, reset: reset)
      }
    }
  }
}
