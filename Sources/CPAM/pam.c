// Linux-PAM for LogonUser: one conversation that answers from the caller's buffer, and the
// shadow check that tells a locked account (which pam_unix reports as a plain failure).
#include "CPAM.h"

#include <crypt.h>
#include <security/pam_appl.h>
#include <shadow.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void ntsec_wipe(void *buffer, size_t length) {
  if (buffer != NULL && length > 0) explicit_bzero(buffer, length);
}

typedef struct {
  const char *user;
  const char *password;
} conversation_data;

static char *duplicate(const char *text) {
  size_t length = strlen(text);
  char *copy = malloc(length + 1);
  if (copy != NULL) memcpy(copy, text, length + 1);
  return copy;
}

static int converse(int count, const struct pam_message **messages, struct pam_response **responses,
                    void *context) {
  const conversation_data *data = context;
  if (count <= 0 || count > PAM_MAX_NUM_MSG) return PAM_CONV_ERR;
  struct pam_response *answers = calloc((size_t)count, sizeof *answers);
  if (answers == NULL) return PAM_BUF_ERR;
  for (int i = 0; i < count; i++) {
    const char *answer = NULL;
    switch (messages[i]->msg_style) {
      case PAM_PROMPT_ECHO_OFF: answer = data->password; break;
      case PAM_PROMPT_ECHO_ON: answer = data->user; break;
      case PAM_ERROR_MSG:
      case PAM_TEXT_INFO: continue;
      default: answer = NULL;
    }
    if (answer == NULL || (answers[i].resp = duplicate(answer)) == NULL) {
      for (int j = 0; j < i; j++) {
        if (answers[j].resp != NULL) {
          explicit_bzero(answers[j].resp, strlen(answers[j].resp));
          free(answers[j].resp);
        }
      }
      free(answers);
      return PAM_CONV_ERR;
    }
  }
  *responses = answers;
  return PAM_SUCCESS;
}

static void no_delay(int status, unsigned delay, void *context) {
  (void)status;
  (void)delay;
  (void)context;
}

static void copy_text(char *target, size_t size, const char *source) {
  if (target == NULL || size == 0) return;
  if (source == NULL) source = "";
  size_t length = strlen(source);
  if (length >= size) length = size - 1;
  memcpy(target, source, length);
  target[length] = 0;
}

ntsec_pam_result ntsec_pam_logon(const char *service, const char *user, const unsigned char *password,
                                 size_t password_length, char *pam_user, size_t pam_user_size,
                                 char *message, size_t message_size) {
  copy_text(pam_user, pam_user_size, user);
  copy_text(message, message_size, "");
  char *secret = malloc(password_length + 1);
  if (secret == NULL) return NTSEC_PAM_SYSTEM_ERROR;
  memcpy(secret, password, password_length);
  secret[password_length] = 0;
  conversation_data data = {user, secret};
  struct pam_conv conversation = {converse, &data};
  pam_handle_t *handle = NULL;
  int status = pam_start(service, user, &conversation, &handle);
  ntsec_pam_result result = NTSEC_PAM_SYSTEM_ERROR;
  if (status == PAM_SUCCESS) {
    pam_set_item(handle, PAM_FAIL_DELAY, (const void *)no_delay);
    status = pam_authenticate(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
    if (status == PAM_SUCCESS) {
      status = pam_acct_mgmt(handle, PAM_SILENT | PAM_DISALLOW_NULL_AUTHTOK);
      switch (status) {
        case PAM_SUCCESS: result = NTSEC_PAM_SUCCESS; break;
        case PAM_ACCT_EXPIRED: result = NTSEC_PAM_ACCOUNT_EXPIRED; break;
        case PAM_NEW_AUTHTOK_REQD: result = NTSEC_PAM_PASSWORD_EXPIRED; break;
        case PAM_AUTHTOK_EXPIRED: result = NTSEC_PAM_PASSWORD_INACTIVE; break;
        case PAM_PERM_DENIED: result = NTSEC_PAM_PERMISSION_DENIED; break;
        case PAM_USER_UNKNOWN:
        case PAM_AUTH_ERR: result = NTSEC_PAM_AUTHENTICATION_FAILED; break;
        default: result = NTSEC_PAM_SYSTEM_ERROR;
      }
    } else if (status == PAM_AUTH_ERR || status == PAM_USER_UNKNOWN || status == PAM_MAXTRIES ||
               status == PAM_CRED_INSUFFICIENT || status == PAM_AUTHINFO_UNAVAIL) {
      result = NTSEC_PAM_AUTHENTICATION_FAILED;
    }
    copy_text(message, message_size, pam_strerror(handle, status));
    const void *item = NULL;
    if (pam_get_item(handle, PAM_USER, &item) == PAM_SUCCESS && item != NULL)
      copy_text(pam_user, pam_user_size, item);
    pam_end(handle, status);
  } else {
    copy_text(message, message_size, "pam_start failed");
  }
  explicit_bzero(secret, password_length);
  free(secret);
  return result;
}

int ntsec_shadow_state(const char *user, const unsigned char *password, size_t password_length) {
  struct spwd entry, *found = NULL;
  size_t size = 16384;
  char *buffer = malloc(size);
  if (buffer == NULL) return -1;
  int answer = -1;
  if (getspnam_r(user, &entry, buffer, size, &found) == 0 && found != NULL && found->sp_pwdp != NULL) {
    answer = 0;
    const char *hash = found->sp_pwdp;
    int locked = hash[0] == '!';
    while (*hash == '!') hash++;
    if (hash[0] != 0 && hash[0] != '*') {
      struct crypt_data *work = calloc(1, sizeof *work);
      char *secret = malloc(password_length + 1);
      if (work != NULL && secret != NULL) {
        memcpy(secret, password, password_length);
        secret[password_length] = 0;
        const char *computed = crypt_r(secret, hash, work);
        if (computed != NULL && computed[0] != '*') {
          size_t a = strlen(computed), b = strlen(hash);
          unsigned char difference = (unsigned char)(a != b);
          for (size_t i = 0; i < a && i < b; i++) difference |= (unsigned char)(computed[i] ^ hash[i]);
          if (difference == 0) {
            answer = NTSEC_SHADOW_PASSWORD_MATCHES;
            if (locked) answer |= NTSEC_SHADOW_LOCKED;
            long today = (long)(time(NULL) / 86400);
            if (found->sp_expire >= 0 && today >= found->sp_expire) answer |= NTSEC_SHADOW_EXPIRED;
          }
        }
        explicit_bzero(secret, password_length);
      }
      if (work != NULL) {
        explicit_bzero(work, sizeof *work);
        free(work);
      }
      free(secret);
    }
  }
  explicit_bzero(buffer, size);
  free(buffer);
  return answer;
}

int ntsec_shadow_dates(const char *user, long *last_change, long *minimum, long *maximum, long *expire) {
  struct spwd entry, *found = NULL;
  size_t size = 16384;
  char *buffer = malloc(size);
  if (buffer == NULL) return -1;
  int answer = -1;
  if (getspnam_r(user, &entry, buffer, size, &found) == 0 && found != NULL) {
    *last_change = found->sp_lstchg;
    *minimum = found->sp_min;
    *maximum = found->sp_max;
    *expire = found->sp_expire;
    answer = 0;
  }
  explicit_bzero(buffer, size);
  free(buffer);
  return answer;
}
