#define _GNU_SOURCE
#include "CLinuxCapabilities.h"

#include <linux/capability.h>
#include <sys/syscall.h>
#include <unistd.h>

int ntsec_capget(int tid, ntsec_capability_sets *sets) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, tid};
  struct __user_cap_data_struct data[2] = {{0}};
  if (syscall(SYS_capget, &header, data) != 0) return -1;
  sets->effective = (uint64_t)data[1].effective << 32 | data[0].effective;
  sets->permitted = (uint64_t)data[1].permitted << 32 | data[0].permitted;
  sets->inheritable = (uint64_t)data[1].inheritable << 32 | data[0].inheritable;
  return 0;
}

int ntsec_capset(const ntsec_capability_sets *sets) {
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2] = {
      {(uint32_t)sets->effective, (uint32_t)sets->permitted, (uint32_t)sets->inheritable},
      {(uint32_t)(sets->effective >> 32), (uint32_t)(sets->permitted >> 32),
       (uint32_t)(sets->inheritable >> 32)},
  };
  return (int)syscall(SYS_capset, &header, data);
}

int ntsec_gettid(void) { return (int)syscall(SYS_gettid); }
