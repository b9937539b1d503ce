/* The C side of scripts/bench-compare's GSSAPI section: the same operations as
 * `ntsec bench-gss` and scripts/python-gss-bench.py, straight on MIT krb5's libgssapi_krb5.
 *
 *   gss-bench OP SECONDS     OP: wrap16k | wrap64 | getmic | context
 *
 * Run inside a realm (scripts/test-realm start): user@NTSEC.TEST's TGT in KRB5CCNAME,
 * host/localhost's key in KRB5_KTNAME. Prints "ops_per_sec=N" per second of CPU time. */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void die(const char *what, OM_uint32 major, OM_uint32 minor) {
  OM_uint32 m, ctx = 0;
  gss_buffer_desc text;
  fprintf(stderr, "gss-bench: %s failed: major 0x%x minor %u", what, major, minor);
  if (gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &text) == 0) {
    fprintf(stderr, " (%.*s)", (int)text.length, (char *)text.value);
    gss_release_buffer(&m, &text);
  }
  fprintf(stderr, "\n");
  exit(1);
}

static gss_name_t target;
static const OM_uint32 flags = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

/* One complete in-process exchange: init, accept, init (mutual authentication). */
static void establish(gss_ctx_id_t *init_ctx, gss_ctx_id_t *accept_ctx) {
  OM_uint32 major, minor;
  gss_buffer_desc t1 = GSS_C_EMPTY_BUFFER, t2 = GSS_C_EMPTY_BUFFER, t3 = GSS_C_EMPTY_BUFFER;
  *init_ctx = GSS_C_NO_CONTEXT;
  *accept_ctx = GSS_C_NO_CONTEXT;
  major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, init_ctx, target, gss_mech_krb5, flags, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER, NULL, &t1, NULL, NULL);
  if (GSS_ERROR(major)) die("gss_init_sec_context", major, minor);
  major = gss_accept_sec_context(&minor, accept_ctx, GSS_C_NO_CREDENTIAL, &t1, GSS_C_NO_CHANNEL_BINDINGS,
                                 NULL, NULL, &t2, NULL, NULL, NULL);
  if (GSS_ERROR(major)) die("gss_accept_sec_context", major, minor);
  major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, init_ctx, target, gss_mech_krb5, flags, 0,
                               GSS_C_NO_CHANNEL_BINDINGS, &t2, NULL, &t3, NULL, NULL);
  if (GSS_ERROR(major)) die("gss_init_sec_context (2)", major, minor);
  gss_release_buffer(&minor, &t1);
  gss_release_buffer(&minor, &t2);
  gss_release_buffer(&minor, &t3);
}

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts); /* CPU time: fair on a shared, loaded machine */
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: gss-bench wrap16k|wrap64|getmic|context SECONDS\n");
    return 2;
  }
  const char *op = argv[1];
  double seconds = atof(argv[2]);
  OM_uint32 major, minor;
  gss_buffer_desc name = {strlen("host@localhost"), "host@localhost"};
  major = gss_import_name(&minor, &name, GSS_C_NT_HOSTBASED_SERVICE, &target);
  if (GSS_ERROR(major)) die("gss_import_name", major, minor);

  gss_ctx_id_t ic, ac;
  establish(&ic, &ac); /* also puts the service ticket in the cache */
  size_t size = strcmp(op, "wrap16k") == 0 ? 16384 : 64;
  unsigned char *message = malloc(size);
  memset(message, 0x5a, size);
  gss_buffer_desc in = {size, message};

  long ops = 0;
  double start = now(), elapsed = 0;
  while (elapsed < seconds) {
    for (int i = 0; i < 64; i++) {
      if (strcmp(op, "context") == 0) {
        gss_ctx_id_t a, b;
        establish(&a, &b);
        gss_delete_sec_context(&minor, &a, GSS_C_NO_BUFFER);
        gss_delete_sec_context(&minor, &b, GSS_C_NO_BUFFER);
        if (i == 7) { ops++; break; } /* context setup is slow: check the clock more often */
      } else if (strcmp(op, "getmic") == 0) {
        gss_buffer_desc mic;
        major = gss_get_mic(&minor, ic, GSS_C_QOP_DEFAULT, &in, &mic);
        if (GSS_ERROR(major)) die("gss_get_mic", major, minor);
        gss_release_buffer(&minor, &mic);
      } else if (strncmp(op, "wrap", 4) == 0) {
        gss_buffer_desc wrapped, plain;
        int conf;
        major = gss_wrap(&minor, ic, 1, GSS_C_QOP_DEFAULT, &in, &conf, &wrapped);
        if (GSS_ERROR(major)) die("gss_wrap", major, minor);
        major = gss_unwrap(&minor, ac, &wrapped, &plain, &conf, NULL);
        if (GSS_ERROR(major)) die("gss_unwrap", major, minor);
        if (plain.length != size) die("gss_unwrap length", 0, 0);
        gss_release_buffer(&minor, &wrapped);
        gss_release_buffer(&minor, &plain);
      } else {
        fprintf(stderr, "gss-bench: unknown operation %s\n", op);
        return 2;
      }
      ops++;
    }
    elapsed = now() - start;
  }
  printf("ops_per_sec=%.1f\n", ops / elapsed);
  gss_delete_sec_context(&minor, &ic, GSS_C_NO_BUFFER);
  gss_delete_sec_context(&minor, &ac, GSS_C_NO_BUFFER);
  gss_release_name(&minor, &target);
  free(message);
  return 0;
}
