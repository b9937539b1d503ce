#ifndef CWINBINDCLIENT_H
#define CWINBINDCLIENT_H

#include <stddef.h>
#include <stdint.h>

/// A SID as libwbclient's struct wbcDomainSid lays it out.
typedef struct {
  uint8_t revision;
  uint8_t count;
  uint8_t authority[6];
  uint32_t sub_authorities[15];
} ntsec_wbc_sid;

/// Whether libwbclient.so.0 loads and winbindd answers wbcPing (1), or not (0).
int ntsec_wbc_available(void);

/// wbcLookupName: 0 on success, with the SID and the SID_NAME_USE.
int ntsec_wbc_lookup_name(const char *domain, const char *name, ntsec_wbc_sid *sid, int *use);

/// wbcLookupSid: 0 on success; the domain and name are copied (NUL-terminated, truncated to the
/// sizes given) and libwbclient's copies freed.
int ntsec_wbc_lookup_sid(const ntsec_wbc_sid *sid, char *domain, size_t domain_size, char *name,
                         size_t name_size, int *use);

/// wbcUidToSid and wbcGidToSid: 0 on success.
int ntsec_wbc_uid_to_sid(uint32_t uid, ntsec_wbc_sid *sid);
int ntsec_wbc_gid_to_sid(uint32_t gid, ntsec_wbc_sid *sid);

#endif
