// Linux extended attributes (getxattr, setxattr, removexattr) for ObjectSecurity's
// FileSystemCalls.swift: Glibc's Swift module does not include <sys/xattr.h>.
#include <sys/xattr.h>
