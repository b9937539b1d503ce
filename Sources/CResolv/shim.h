// The system resolver (glibc's libresolv): res_query reads /etc/resolv.conf as every DNS client
// of the host does.
#include <netinet/in.h>
#include <arpa/nameser.h>
#include <resolv.h>
#include <netdb.h>

// h_errno is a macro over a per-thread location, which Swift cannot import.
static inline int cresolv_h_errno(void) { return h_errno; }
static inline void cresolv_clear_h_errno(void) { h_errno = 0; }
