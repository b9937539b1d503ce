#define _GNU_SOURCE
#include "CLinuxCapabilities.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

// Takes the capabilities of `drop` out of the bounding set (while the process still has
// CAP_SETPCAP), so that execve cannot give them back to a root program.
static int drop_bounding(uint64_t drop) {
  for (int cap = 0; cap < 64; cap++) {
    if (!(drop & ((uint64_t)1 << cap))) continue;
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL) return -1;
  }
  return 0;
}

// Then, once the ids are set, out of the inheritable, permitted and effective sets (lowering
// needs no privilege), with the ambient set cleared.
static int drop_held(uint64_t drop) {
  if (drop == 0) return 0;
  if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) != 0 && errno != EINVAL) return -1;
  struct __user_cap_header_struct header = {_LINUX_CAPABILITY_VERSION_3, 0};
  struct __user_cap_data_struct data[2];
  if (syscall(SYS_capget, &header, data) != 0) return -1;
  for (int i = 0; i < 2; i++) {
    uint32_t keep = ~(uint32_t)(drop >> (32 * i));
    data[i].effective &= keep;
    data[i].permitted &= keep;
    data[i].inheritable &= keep;
  }
  return (int)syscall(SYS_capset, &header, data);
}

int ntsec_spawn_as(uint32_t uid, uint32_t gid, const uint32_t *groups, size_t count, uint64_t drop,
                   int no_new_privs,
                   const char *path, char *const argv[], char *const envp[]) {
  int report[2];
  if (pipe2(report, O_CLOEXEC) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) {
    int error = errno;
    close(report[0]);
    close(report[1]);
    errno = error;
    return -1;
  }
  if (pid == 0) {
    // The child is single-threaded: these calls change the whole new process, real, effective
    // and saved ids alike, so it cannot become root again (its capabilities go with uid 0).
    close(report[0]);
    int error = 0;
    if (drop_bounding(drop) != 0 || syscall(SYS_setgroups, count, groups) != 0 || syscall(SYS_setresgid, gid, gid, gid) != 0 ||
        syscall(SYS_setresuid, uid, uid, uid) != 0 || drop_held(drop) != 0 ||
        (no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)) {
      error = errno;
    } else {
      execve(path, argv, envp);
      error = errno;
    }
    (void)!write(report[1], &error, sizeof error);
    _exit(127);
  }
  close(report[1]);
  int error = 0;
  ssize_t got;
  do got = read(report[0], &error, sizeof error);
  while (got < 0 && errno == EINTR);
  close(report[0]);
  if (got == (ssize_t)sizeof error) {
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    errno = error;
    return -1;
  }
  return pid;
}
