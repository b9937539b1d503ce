#if canImport(Glibc)
  import Glibc
#endif

extension KerberosTestRealm {
  private static let sharedRealm: Result<KerberosTestRealm, Failure> = {
    do throws(Failure) {
      let realm = try KerberosTestRealm.start()
      realm.exportEnvironment()
      atexit { try? KerberosTestRealm.sharedRealm.get().stop() }
      return .success(realm)
    } catch { return .failure(error) }
  }()

  /// The one realm of this process, started on first use with its environment exported, and
  /// stopped when the process exits. Every test target in the (single) test process must use this
  /// one: MIT krb5 reads KRB5_CONFIG / KRB5CCNAME from the process environment, so two realms in
  /// one process would point each other's tests at the wrong KDC.
  public static func shared() throws(Failure) -> KerberosTestRealm { try sharedRealm.get() }
}
