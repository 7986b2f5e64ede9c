#!/bin/sh
# Install the Debian packages the test suite needs (PostgreSQL server, libpcap, tcpreplay, tshark,
# iproute2, ping, procps, and chromium for the console's browser tests through Playwright). Idempotent: silent when everything is present, runs `apt-get update`
# once and installs only what is missing. Without root or apt-get it lists what is missing and
# exits 0, so a laptop run continues (tests needing a missing part skip, or fail under CI=true).
set -eu

# Debian 13 renamed libpcap0.8 to libpcap0.8t64: each entry lists acceptable names, first wins.
WANTED="postgresql libpcap0.8|libpcap0.8t64 tcpreplay tshark iproute2 iputils-ping procps chromium"

installed() {
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

missing=""
for entry in $WANTED; do
    found=""
    for name in $(echo "$entry" | tr '|' ' '); do
        if installed "$name"; then found=1; break; fi
    done
    [ -n "$found" ] || missing="$missing $entry"
done

[ -n "$missing" ] || exit 0

if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "install_system_packages: missing (needs root and apt-get to install):$missing" >&2
    exit 0
fi

export DEBIAN_FRONTEND=noninteractive
apt-get update -qq

# pick, for each missing entry, the first name the archive offers
to_install=""
for entry in $missing; do
    pick=""
    for name in $(echo "$entry" | tr '|' ' '); do
        candidate=$(apt-cache policy "$name" 2>/dev/null | awk '/Candidate:/ {print $2}')
        if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then pick=$name; break; fi
    done
    if [ -z "$pick" ]; then
        echo "install_system_packages: no installable package for $entry" >&2
        continue
    fi
    to_install="$to_install $pick"
done

case " $to_install " in
*" tshark "*)
    # answer the "should non-superusers capture packets?" question up front
    echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
    ;;
esac

if [ -n "$to_install" ]; then
    echo "install_system_packages: installing$to_install"
    # shellcheck disable=SC2086 # word splitting of the package list is intended
    apt-get install -y -qq --no-install-recommends $to_install >/dev/null
fi
