# Sourced by scripts/install-deps and scripts/bench-compare: the one place that knows how the
# bookworm-backports apt source is added, so both install Samba from the same source.
#
#   debian_codename                  -> prints VERSION_CODENAME (bookworm, trixie, ...) or nothing
#   ensure_bookworm_backports [CMD]  -> adds the bookworm-backports source unless an apt source
#                                       already names it; CMD (e.g. sudo) prefixes the write.
#                                       Returns 0 when it added the source (apt-get update needed),
#                                       1 when the source was already there.

debian_codename() {
  if [ -r /etc/os-release ]; then
    (. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")
  fi
}

ensure_bookworm_backports() {
  if grep -qsE '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
      /etc/apt/sources.list.d/*.sources; then
    return 1
  fi
  echo "adding the bookworm-backports apt source" >&2
  if [ -e /etc/apt/sources.list.d/debian.sources ]; then
    # deb822 style, like the image's own debian.sources
    "$@" tee /etc/apt/sources.list.d/bookworm-backports.sources >/dev/null <<'SOURCES'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  else
    echo 'deb http://deb.debian.org/debian bookworm-backports main' |
      "$@" tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
  fi
  return 0
}
