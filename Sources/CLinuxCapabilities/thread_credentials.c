#define _GNU_SOURCE
#include "CLinuxCapabilities.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

// The credentials a thread had before it first impersonated.
static __thread struct {
  int saved;
  uid_t uid;
  gid_t gid;
  gid_t *groups;
  int count;
} original;

static int apply(uid_t uid, gid_t gid, const gid_t *groups, size_t count) {
  // Become root again (real and saved uid are 0 for a root process) so the calls below may be made.
  if (syscall(SYS_setresuid, (uid_t)-1, (uid_t)0, (uid_t)-1) != 0) return -1;
  if (syscall(SYS_setgroups, count, groups) != 0) return -1;
  if (syscall(SYS_setresgid, (gid_t)-1, gid, (gid_t)-1) != 0) return -1;
  if (syscall(SYS_setresuid, (uid_t)-1, uid, (uid_t)-1) != 0) return -1;
  return 0;
}

static int save(void) {
  uid_t ruid, euid, suid;
  gid_t rgid, egid, sgid;
  if (syscall(SYS_getresuid, &ruid, &euid, &suid) != 0) return -1;
  if (syscall(SYS_getresgid, &rgid, &egid, &sgid) != 0) return -1;
  long count = syscall(SYS_getgroups, 0, NULL);
  if (count < 0) return -1;
  gid_t *groups = malloc(sizeof(gid_t) * (size_t)(count > 0 ? count : 1));
  if (groups == NULL) return -1;
  if (count > 0 && syscall(SYS_getgroups, count, groups) != count) {
    free(groups);
    return -1;
  }
  original.uid = euid;
  original.gid = egid;
  original.groups = groups;
  original.count = (int)count;
  original.saved = 1;
  return 0;
}

int ntsec_thread_revert(void) {
  if (!original.saved) return 0;
  if (apply(original.uid, original.gid, original.groups, (size_t)original.count) != 0) return -1;
  free(original.groups);
  memset(&original, 0, sizeof original);
  return 0;
}

int ntsec_thread_impersonate(uint32_t uid, uint32_t gid, const uint32_t *groups, size_t count) {
  if (!original.saved && save() != 0) return -1;
  if (apply(uid, gid, groups, count) == 0) return 0;
  int error = errno;
  if (ntsec_thread_revert() != 0) return -2;
  errno = error;
  return -1;
}

int ntsec_thread_is_impersonating(void) { return original.saved; }
