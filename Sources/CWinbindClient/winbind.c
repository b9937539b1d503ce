// libwbclient, loaded at run time so that hosts without Samba's client library still run
// everything else. The declarations below are the documented libwbclient ABI (wbclient.h).
#include "CWinbindClient.h"

#include <dlfcn.h>
#include <pthread.h>
#include <string.h>

typedef int (*ping_fn)(void);
typedef int (*lookup_name_fn)(const char *, const char *, ntsec_wbc_sid *, int *);
typedef int (*lookup_sid_fn)(const ntsec_wbc_sid *, char **, char **, int *);
typedef int (*id_to_sid_fn)(uint32_t, ntsec_wbc_sid *);
typedef void (*free_fn)(void *);

static struct {
  ping_fn ping;
  lookup_name_fn lookup_name;
  lookup_sid_fn lookup_sid;
  id_to_sid_fn uid_to_sid;
  id_to_sid_fn gid_to_sid;
  free_fn free_memory;
} wbc;
static pthread_once_t loaded = PTHREAD_ONCE_INIT;

static void load(void) {
  void *library = dlopen("libwbclient.so.0", RTLD_NOW | RTLD_LOCAL);
  if (library == NULL) return;
  wbc.ping = (ping_fn)dlsym(library, "wbcPing");
  wbc.lookup_name = (lookup_name_fn)dlsym(library, "wbcLookupName");
  wbc.lookup_sid = (lookup_sid_fn)dlsym(library, "wbcLookupSid");
  wbc.uid_to_sid = (id_to_sid_fn)dlsym(library, "wbcUidToSid");
  wbc.gid_to_sid = (id_to_sid_fn)dlsym(library, "wbcGidToSid");
  wbc.free_memory = (free_fn)dlsym(library, "wbcFreeMemory");
  if (!wbc.ping || !wbc.lookup_name || !wbc.lookup_sid || !wbc.uid_to_sid || !wbc.gid_to_sid ||
      !wbc.free_memory)
    memset(&wbc, 0, sizeof wbc);
}

int ntsec_wbc_available(void) {
  pthread_once(&loaded, load);
  return wbc.ping != NULL && wbc.ping() == 0;
}

int ntsec_wbc_lookup_name(const char *domain, const char *name, ntsec_wbc_sid *sid, int *use) {
  pthread_once(&loaded, load);
  if (wbc.lookup_name == NULL) return -1;
  return wbc.lookup_name(domain, name, sid, use);
}

static void copy(char *target, size_t size, const char *source) {
  if (size == 0) return;
  size_t length = source ? strlen(source) : 0;
  if (length >= size) length = size - 1;
  if (length) memcpy(target, source, length);
  target[length] = 0;
}

int ntsec_wbc_lookup_sid(const ntsec_wbc_sid *sid, char *domain, size_t domain_size, char *name,
                         size_t name_size, int *use) {
  pthread_once(&loaded, load);
  if (wbc.lookup_sid == NULL) return -1;
  char *found_domain = NULL, *found_name = NULL;
  int status = wbc.lookup_sid(sid, &found_domain, &found_name, use);
  if (status == 0) {
    copy(domain, domain_size, found_domain);
    copy(name, name_size, found_name);
  }
  if (found_domain) wbc.free_memory(found_domain);
  if (found_name) wbc.free_memory(found_name);
  return status;
}

int ntsec_wbc_uid_to_sid(uint32_t uid, ntsec_wbc_sid *sid) {
  pthread_once(&loaded, load);
  return wbc.uid_to_sid ? wbc.uid_to_sid(uid, sid) : -1;
}

int ntsec_wbc_gid_to_sid(uint32_t gid, ntsec_wbc_sid *sid) {
  pthread_once(&loaded, load);
  return wbc.gid_to_sid ? wbc.gid_to_sid(gid, sid) : -1;
}
