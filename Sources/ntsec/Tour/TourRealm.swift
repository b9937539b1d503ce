import NTSecurityTesting

/// The throwaway MIT realm a tour section runs in: started, its KRB5_* environment exported; nil
/// (with the reason shown) when krb5kdc cannot start. The caller stops it.
func startTourRealm(show: (String, String) -> Void) -> KerberosTestRealm? {
  do {
    let realm = try KerberosTestRealm.start()
    realm.exportEnvironment()
    return realm
  } catch {
    show("realm", "could not start MIT krb5kdc (run scripts/install-deps): \(error)")
    return nil
  }
}
