#include "CGSSAPI.h"
#include <pthread.h>
#include <string.h>

gss_const_OID cgss_library_oid(const char *name) {
  static const struct {
    const char *name;
    const gss_OID *oid;
  } table[] = {
      {"GSS_C_NT_USER_NAME", &GSS_C_NT_USER_NAME},
      {"GSS_C_NT_MACHINE_UID_NAME", &GSS_C_NT_MACHINE_UID_NAME},
      {"GSS_C_NT_STRING_UID_NAME", &GSS_C_NT_STRING_UID_NAME},
      {"GSS_C_NT_HOSTBASED_SERVICE", &GSS_C_NT_HOSTBASED_SERVICE},
      {"GSS_C_NT_ANONYMOUS", &GSS_C_NT_ANONYMOUS},
      {"GSS_C_NT_EXPORT_NAME", &GSS_C_NT_EXPORT_NAME},
      {"GSS_C_NT_COMPOSITE_EXPORT", &GSS_C_NT_COMPOSITE_EXPORT},
      {"GSS_KRB5_NT_PRINCIPAL_NAME", (const gss_OID *)&GSS_KRB5_NT_PRINCIPAL_NAME},
      {"GSS_KRB5_NT_ENTERPRISE_NAME", (const gss_OID *)&GSS_KRB5_NT_ENTERPRISE_NAME},
      {"gss_mech_krb5", (const gss_OID *)&gss_mech_krb5},
      {"gss_mech_krb5_old", (const gss_OID *)&gss_mech_krb5_old},
      {"gss_mech_krb5_wrong", (const gss_OID *)&gss_mech_krb5_wrong},
      {"gss_mech_iakerb", (const gss_OID *)&gss_mech_iakerb},
      {"GSS_C_INQ_SSPI_SESSION_KEY", &GSS_C_INQ_SSPI_SESSION_KEY},
      {"GSS_KRB5_CRED_NO_CI_FLAGS_X", (const gss_OID *)&GSS_KRB5_CRED_NO_CI_FLAGS_X},
      {"GSS_KRB5_GET_CRED_IMPERSONATOR", (const gss_OID *)&GSS_KRB5_GET_CRED_IMPERSONATOR},
      {"GSS_C_SEC_CONTEXT_SASL_SSF", &GSS_C_SEC_CONTEXT_SASL_SSF},
      {"GSS_C_MA_MECH_CONCRETE", (const gss_OID *)&GSS_C_MA_MECH_CONCRETE},
      {"GSS_C_MA_MECH_NEGO", (const gss_OID *)&GSS_C_MA_MECH_NEGO},
      {"GSS_C_MA_DEPRECATED", (const gss_OID *)&GSS_C_MA_DEPRECATED},
      {"GSS_C_MA_CBINDINGS", (const gss_OID *)&GSS_C_MA_CBINDINGS},
  };
  for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
    if (strcmp(table[i].name, name) == 0) return *table[i].oid;
  return NULL;
}

int cgss_iov_type_is_allocated(OM_uint32 type) {
  return (GSS_IOV_BUFFER_FLAGS(type) & GSS_IOV_BUFFER_FLAG_ALLOCATED) != 0;
}

static krb5_context cgss_kept_context;
static pthread_once_t cgss_kept_once = PTHREAD_ONCE_INIT;

static void cgss_keep_context(void) {
  if (krb5_init_context(&cgss_kept_context) != 0) cgss_kept_context = NULL;
}

void cgss_keep_profile_cached(void) { pthread_once(&cgss_kept_once, cgss_keep_context); }
