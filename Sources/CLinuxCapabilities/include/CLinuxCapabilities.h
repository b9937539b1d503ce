#ifndef CLINUXCAPABILITIES_H
#define CLINUXCAPABILITIES_H

#include <stdint.h>

/// The three capability sets of a thread (64 bits each, capability N is bit N).
typedef struct {
  uint64_t effective;
  uint64_t permitted;
  uint64_t inheritable;
} ntsec_capability_sets;

/// capget(2) for thread `tid` (0: the calling thread). Returns 0, or -1 with errno set.
int ntsec_capget(int tid, ntsec_capability_sets *sets);

/// capset(2) on the calling thread. Returns 0, or -1 with errno set.
int ntsec_capset(const ntsec_capability_sets *sets);

/// The calling thread's id (gettid).
int ntsec_gettid(void);

#endif
