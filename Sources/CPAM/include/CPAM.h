#ifndef CPAM_H
#define CPAM_H

#include <stddef.h>

/// What a PAM logon answered, in the terms LogonUser maps to Windows errors.
typedef enum {
  NTSEC_PAM_SUCCESS = 0,
  /// pam_authenticate refused the user or the password (or the user is unknown).
  NTSEC_PAM_AUTHENTICATION_FAILED = 1,
  /// pam_acct_mgmt: PAM_ACCT_EXPIRED.
  NTSEC_PAM_ACCOUNT_EXPIRED = 2,
  /// pam_acct_mgmt: PAM_NEW_AUTHTOK_REQD (the password aged or must be changed).
  NTSEC_PAM_PASSWORD_EXPIRED = 3,
  /// pam_acct_mgmt: PAM_AUTHTOK_EXPIRED (the password expired past its inactivity period).
  NTSEC_PAM_PASSWORD_INACTIVE = 4,
  /// pam_acct_mgmt: PAM_PERM_DENIED (pam_time, pam_access and the like).
  NTSEC_PAM_PERMISSION_DENIED = 5,
  /// pam_start failed, or a module answered an error that is none of the above.
  NTSEC_PAM_SYSTEM_ERROR = 6,
} ntsec_pam_result;

/// Runs the PAM stack `service` for `user` (pam_start, pam_authenticate with
/// PAM_DISALLOW_NULL_AUTHTOK, then pam_acct_mgmt when authentication succeeded, pam_end).
/// The conversation answers password prompts with `password` (`password_length` bytes, no NUL
/// needed) and name prompts with `user`; every copy this shim makes is wiped with explicit_bzero.
/// PAM's own failure delay is replaced by a no-op (the caller pads failures to one duration).
/// On return `pam_user` holds PAM_USER as the stack left it (`pam_user_size` bytes) and
/// `message` pam_strerror's text for the answer that decided.
ntsec_pam_result ntsec_pam_logon(const char *service, const char *user, const unsigned char *password,
                                 size_t password_length, char *pam_user, size_t pam_user_size,
                                 char *message, size_t message_size);

/// What the shadow entry of `user` says once PAM's authentication failed, for the failures a
/// PAM stack reports as a plain PAM_AUTH_ERR (common-auth ends in pam_deny): whether `password`
/// matches the hash (behind the `!` of `usermod -L`), and if so whether the account is locked or
/// past its expiry date. -1: no shadow entry readable (not root, or no such user); 0: the password
/// does not match; else NTSEC_SHADOW_* bits. Nothing is told about an account without its password.
enum {
  NTSEC_SHADOW_PASSWORD_MATCHES = 1,
  NTSEC_SHADOW_LOCKED = 2,
  NTSEC_SHADOW_EXPIRED = 4,
};
int ntsec_shadow_state(const char *user, const unsigned char *password, size_t password_length);

/// The password and account dates of `user`'s shadow entry, in days since 1970 (-1: unset):
/// the last password change, the minimum and maximum password ages, the account's expiry.
/// Returns 0, or -1 when no shadow entry is readable (not root, or no such user).
int ntsec_shadow_dates(const char *user, long *last_change, long *minimum, long *maximum, long *expire);

/// explicit_bzero: wipes `length` bytes at `buffer` in a way the compiler keeps.
void ntsec_wipe(void *buffer, size_t length);

#endif
