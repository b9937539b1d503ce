#define _GNU_SOURCE
#include "CKeyring.h"
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define NTSEC_KEYCTL_GET_KEYRING_ID 0
#define NTSEC_KEYCTL_JOIN_SESSION_KEYRING 1
#define NTSEC_KEYCTL_DESCRIBE 6
#define NTSEC_KEYCTL_UNLINK 9
#define NTSEC_KEYCTL_SEARCH 10
#define NTSEC_KEYCTL_READ 11
#define NTSEC_KEYCTL_SETPERM 5
#define NTSEC_KEYCTL_SET_TIMEOUT 15

int32_t ntsec_add_user_key(const char *description, const void *payload, size_t length, int32_t keyring) {
  return (int32_t)syscall(SYS_add_key, "user", description, payload, length, keyring);
}
int32_t ntsec_search_user_key(int32_t keyring, const char *description) {
  return (int32_t)syscall(SYS_keyctl, NTSEC_KEYCTL_SEARCH, keyring, "user", description, 0);
}
long ntsec_read_key(int32_t key, void *buffer, size_t length) {
  return syscall(SYS_keyctl, NTSEC_KEYCTL_READ, key, buffer, length);
}
long ntsec_describe_key(int32_t key, char *buffer, size_t length) {
  return syscall(SYS_keyctl, NTSEC_KEYCTL_DESCRIBE, key, buffer, length);
}
long ntsec_unlink_key(int32_t key, int32_t keyring) {
  return syscall(SYS_keyctl, NTSEC_KEYCTL_UNLINK, key, keyring);
}
long ntsec_setperm_key(int32_t key, uint32_t perm) {
  return syscall(SYS_keyctl, NTSEC_KEYCTL_SETPERM, key, perm);
}
long ntsec_set_timeout_key(int32_t key, uint32_t seconds) {
  return syscall(SYS_keyctl, NTSEC_KEYCTL_SET_TIMEOUT, key, seconds);
}
int32_t ntsec_keyring_id(int32_t keyring, int create) {
  return (int32_t)syscall(SYS_keyctl, NTSEC_KEYCTL_GET_KEYRING_ID, keyring, create);
}
int32_t ntsec_join_session_keyring(const char *name) {
  return (int32_t)syscall(SYS_keyctl, NTSEC_KEYCTL_JOIN_SESSION_KEYRING, name);
}
void ntsec_explicit_bzero(void *buffer, size_t length) { explicit_bzero(buffer, length); }
