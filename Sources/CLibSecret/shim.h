// The few libsecret calls the Credential Manager's Secret Service key store makes, as
// non-variadic inline functions (Swift cannot call libsecret's variadic attribute lists).
#ifndef NTSEC_CLIBSECRET_SHIM_H
#define NTSEC_CLIBSECRET_SHIM_H
#include <libsecret/secret.h>
#include <string.h>

static const SecretSchema *ntsec_vault_schema(void) {
  static const SecretSchema schema = {
      "org.ntsecurity.CredentialVault", SECRET_SCHEMA_NONE,
      {{"vault", SECRET_SCHEMA_ATTRIBUTE_STRING}, {"NULL", 0}}};
  return &schema;
}

/// Copies the GError's message into `message` (at most `length` bytes) and frees it.
static inline void ntsec_take_error(GError *error, char *message, size_t length) {
  if (!error) return;
  if (message && length) {
    strncpy(message, error->message ? error->message : "unknown error", length - 1);
    message[length - 1] = 0;
  }
  g_error_free(error);
}

/// Stores `secret` (NUL-terminated) for `vault` in the default collection. 1 on success.
static inline int ntsec_secret_store(const char *vault, const char *label, const char *secret,
                                     char *message, size_t length) {
  GError *error = NULL;
  GHashTable *attributes = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(attributes, (gpointer) "vault", (gpointer)vault);
  gboolean ok = secret_password_storev_sync(ntsec_vault_schema(), attributes, SECRET_COLLECTION_DEFAULT,
                                            label, secret, NULL, &error);
  g_hash_table_unref(attributes);
  ntsec_take_error(error, message, length);
  return ok ? 1 : 0;
}

/// Looks the secret for `vault` up. Returns a string to free with ntsec_secret_free, or NULL
/// (with `message` set when it was an error rather than "not found").
static inline char *ntsec_secret_lookup(const char *vault, char *message, size_t length) {
  GError *error = NULL;
  GHashTable *attributes = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(attributes, (gpointer) "vault", (gpointer)vault);
  gchar *secret = secret_password_lookupv_sync(ntsec_vault_schema(), attributes, NULL, &error);
  g_hash_table_unref(attributes);
  ntsec_take_error(error, message, length);
  return secret;
}

/// Removes the secret for `vault`. 1 when something was removed.
static inline int ntsec_secret_clear(const char *vault, char *message, size_t length) {
  GError *error = NULL;
  GHashTable *attributes = g_hash_table_new(g_str_hash, g_str_equal);
  g_hash_table_insert(attributes, (gpointer) "vault", (gpointer)vault);
  gboolean ok = secret_password_clearv_sync(ntsec_vault_schema(), attributes, NULL, &error);
  g_hash_table_unref(attributes);
  ntsec_take_error(error, message, length);
  return ok ? 1 : 0;
}

/// Clears and frees a secret returned by ntsec_secret_lookup.
static inline void ntsec_secret_free(char *secret) { secret_password_free(secret); }

#endif
