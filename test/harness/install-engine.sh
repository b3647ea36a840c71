#!/usr/bin/env bash
# Installs Docker Engine + Compose v2 from Debian packages when missing.
# bookworm's docker.io is Engine 20.10 and its docker-compose is the old v1, so we
# take both from the trixie suite of the same mirror, pinned low so nothing else moves.
set -euo pipefail

# The offline image is built from this static busybox (trixie's 1.37: bookworm's 1.35
# segfaults on `wget -T`). It is extracted here rather than installed over the host's.
BUSYBOX_DIR=/var/cache/netmigrate
BUSYBOX="$BUSYBOX_DIR/busybox"

have_engine() {
  command -v dockerd >/dev/null 2>&1 &&
    [ -x /usr/libexec/docker/cli-plugins/docker-compose ] &&
    [ -x "$BUSYBOX" ] &&
    command -v tmux >/dev/null 2>&1
}

if have_engine; then
  echo "engine: already installed ($(dockerd --version))"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "engine: Docker Engine is missing and installing it needs root (run: sudo $0)" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
if ! grep -rqs 'trixie' /etc/apt/sources.list.d/; then
  cat > /etc/apt/sources.list.d/netmigrate-trixie.sources <<'SRC'
Types: deb
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
  cat > /etc/apt/preferences.d/netmigrate-trixie <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
fi
apt-get update -qq
# busybox-static builds the offline image; tmux drives the wizard in a real pty for the smoke test.
apt-get install -y -qq --no-install-recommends \
  docker.io/trixie docker-cli/trixie docker-compose/trixie \
  iptables tmux >/dev/null
scratch=$(mktemp -d)
(cd "$scratch" && apt-get download -qq busybox-static/trixie 2>/dev/null && dpkg-deb -x busybox-static_*.deb root)
mkdir -p "$BUSYBOX_DIR"
install -m 0755 "$scratch/root/usr/bin/busybox" "$BUSYBOX"
rm -rf "$scratch"
echo "engine: installed ($(dockerd --version))"
