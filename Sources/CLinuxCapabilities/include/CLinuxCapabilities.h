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

#include <stddef.h>

/// Impersonation on the calling thread only, with the raw setresuid/setresgid/setgroups system
/// calls (glibc's wrappers apply them to every thread of the process). The first call on a
/// thread saves its effective uid, gid and supplementary groups in thread-local storage; it then
/// becomes uid 0 again (the saved uid) if needed, sets the groups, the effective gid and the
/// effective uid. Returns 0; -1 with errno set after putting the thread back to its own
/// (saved) credentials; -2 when even that failed (the caller must not go on).
int ntsec_thread_impersonate(uint32_t uid, uint32_t gid, const uint32_t *groups, size_t count);

/// Puts back what the first ntsec_thread_impersonate on this thread saved; nothing when the
/// thread is not impersonating. Returns 0, or -1 with errno set; the thread's credentials are
/// then unknown and the caller must not go on (LogonUser's RevertToSelf aborts).
int ntsec_thread_revert(void);

/// 1 when the calling thread is impersonating (ntsec_thread_impersonate without revert), else 0.
int ntsec_thread_is_impersonating(void);

/// CreateProcessAsUser's core: fork, then in the child setgroups, setresgid(gid, gid, gid),
/// setresuid(uid, uid, uid), the capabilities of `drop_capabilities` (bit n: capability n) taken
/// out of the bounding, inheritable, permitted and effective sets (and the ambient set cleared),
/// PR_SET_NO_NEW_PRIVS when asked, execve. Returns the child's pid once execve succeeded, or -1
/// with errno set to what failed in the child (the child is reaped).
int ntsec_spawn_as(uint32_t uid, uint32_t gid, const uint32_t *groups, size_t count, uint64_t drop_capabilities,
                   int no_new_privs,
                   const char *path, char *const argv[], char *const envp[]);

/// The credentials of a Unix-domain socket's peer as they were when it connected: SO_PEERCRED
/// (pid, uid, gid) and SO_PEERGROUPS (at most *count supplementary groups; *count is set to how
/// many). Returns 0, or -1 with errno set (ERANGE: more groups than *count).
int ntsec_peer_credentials(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid, uint32_t *groups, int *count);

#endif
