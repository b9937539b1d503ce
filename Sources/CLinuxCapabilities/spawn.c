#define _GNU_SOURCE
#include "CLinuxCapabilities.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int ntsec_spawn_as(uint32_t uid, uint32_t gid, const uint32_t *groups, size_t count, int no_new_privs,
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
    if (syscall(SYS_setgroups, count, groups) != 0 || syscall(SYS_setresgid, gid, gid, gid) != 0 ||
        syscall(SYS_setresuid, uid, uid, uid) != 0 ||
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
