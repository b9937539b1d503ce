// Thin wrappers over the Linux kernel key retention service system calls (keyctl(2),
// add_key(2)), so Swift never calls the variadic syscall(2). No libkeyutils dependency.
#ifndef CKEYRING_H
#define CKEYRING_H
#include <stddef.h>
#include <stdint.h>

/// KEY_SPEC_SESSION_KEYRING
#define NTSEC_KEY_SPEC_SESSION_KEYRING (-3)

/// add_key("user", description, payload, length, keyring); returns the key serial or -1 (errno).
int32_t ntsec_add_user_key(const char *description, const void *payload, size_t length, int32_t keyring);
/// keyctl(KEYCTL_SEARCH, keyring, "user", description, 0); serial or -1 (errno).
int32_t ntsec_search_user_key(int32_t keyring, const char *description);
/// keyctl(KEYCTL_READ, key, buffer, length); the payload length or -1 (errno).
long ntsec_read_key(int32_t key, void *buffer, size_t length);
/// keyctl(KEYCTL_DESCRIBE, key, buffer, length); length including the NUL or -1 (errno).
long ntsec_describe_key(int32_t key, char *buffer, size_t length);
/// keyctl(KEYCTL_UNLINK, key, keyring); 0 or -1 (errno).
long ntsec_unlink_key(int32_t key, int32_t keyring);
/// keyctl(KEYCTL_SETPERM, key, perm); 0 or -1 (errno).
long ntsec_setperm_key(int32_t key, uint32_t perm);
/// keyctl(KEYCTL_SET_TIMEOUT, key, seconds); 0 or -1 (errno).
long ntsec_set_timeout_key(int32_t key, uint32_t seconds);
/// keyctl(KEYCTL_GET_KEYRING_ID, keyring, create); the keyring's serial or -1 (errno).
int32_t ntsec_keyring_id(int32_t keyring, int create);
/// keyctl(KEYCTL_JOIN_SESSION_KEYRING, name); a new anonymous session keyring when name is NULL.
int32_t ntsec_join_session_keyring(const char *name);
/// Overwrites a buffer in a way the compiler may not elide.
void ntsec_explicit_bzero(void *buffer, size_t length);

#endif
