#define _GNU_SOURCE
#include "CLinuxCapabilities.h"

#include <errno.h>
#include <sys/socket.h>
#include <sys/types.h>

int ntsec_peer_credentials(int fd, int32_t *pid, uint32_t *uid, uint32_t *gid, uint32_t *groups, int *count) {
  struct ucred credentials;
  socklen_t length = sizeof credentials;
  if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &length) != 0) return -1;
  *pid = credentials.pid;
  *uid = credentials.uid;
  *gid = credentials.gid;
  socklen_t size = (socklen_t)(*count * (int)sizeof(gid_t));
  if (getsockopt(fd, SOL_SOCKET, SO_PEERGROUPS, groups, &size) != 0) return -1;
  *count = (int)(size / sizeof(gid_t));
  return 0;
}
