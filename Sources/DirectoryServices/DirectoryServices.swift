import NTSecurity

/// Windows' directory-service client functions (ntdsapi, DsGetDcName) against Active Directory,
/// speaking the protocols Windows speaks: DNS SRV records through the system resolver and the
/// CLDAP "LDAP ping" of MS-ADTS 6.3.3. No Samba library is linked in.
public enum DirectoryServices {}
