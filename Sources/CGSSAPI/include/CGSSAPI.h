// CGSSAPI: MIT krb5's GSS-API headers for Swift, and the few things Swift cannot import from them.
// The function-like and cast macros (GSS_ERROR, GSS_ROUTINE_ERROR, GSS_C_NO_*) and the non-const
// OID globals are reached through the small functions below; everything else is imported as is.
#ifndef CGSSAPI_H
#define CGSSAPI_H

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>
#include <krb5/krb5.h>

// Status word (RFC 2744 3.9.1).
static inline OM_uint32 cgss_error(OM_uint32 major) { return GSS_ERROR(major); }
static inline OM_uint32 cgss_calling_error(OM_uint32 major) { return GSS_CALLING_ERROR(major); }
static inline OM_uint32 cgss_routine_error(OM_uint32 major) { return GSS_ROUTINE_ERROR(major); }
static inline OM_uint32 cgss_supplementary_info(OM_uint32 major) { return GSS_SUPPLEMENTARY_INFO(major); }
static inline OM_uint32 cgss_continue_needed(void) { return GSS_S_CONTINUE_NEEDED; }
static inline OM_uint32 cgss_indefinite(void) { return GSS_C_INDEFINITE; }

// The OID globals the library exports, by name (for checking the Swift constants against them).
// Returns NULL for an unknown name.
gss_const_OID cgss_library_oid(const char *name);

// Whether GSS allocated an IOV buffer (GSS_IOV_BUFFER_FLAG_ALLOCATED), to be freed with
// gss_release_iov_buffer.
int cgss_iov_type_is_allocated(OM_uint32 type);

// Keeps one krb5_context alive for the rest of the process (once; thread-safe). MIT's profile
// library frees the parsed krb5.conf as soon as no krb5_context holds it, and every
// gss_init_sec_context and gss_accept_sec_context makes and frees a krb5_context of its own, so
// without a holder each call parses the configuration again (about 30,000 instructions, 13% of
// a Kerberos gss_init_sec_context). Changes to the files are still picked up (the library
// checks their modification time).
void cgss_keep_profile_cached(void);

#endif
