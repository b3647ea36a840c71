#!/usr/bin/env bash
# Installs the engines the tests, the benchmarks and `netmigrate demo` run privately, from
# Debian packages, when missing:
# - Engine 26.1 + Compose 2.26 from the trixie suite, installed (bookworm's own docker.io is
#   Engine 20.10 and its docker-compose the old v1), pinned low so nothing else on the host moves;
# - Engine 28.5 + Compose 2.40 from the testing suite, only extracted into $ENGINE_28 (never
#   installed over the host's): its dockerd runs beside the system's containerd and runc, and a
#   DOCKER_CONFIG whose cli-plugins/ links its compose selects Compose 2.40;
# - openssh-server and -client (`ssh`) for the ssh:// engine test's own sshd and ssh-agent
#   (test/harness/sshd.ts), from the machine's own suite, leaving no system sshd started or enabled;
# - nftables (`nft`), whose `nft --check` the Nomad export's firewall test runs in a network
#   namespace of its own (test/unit/export-nomad-roundtrip.test.ts), from the machine's own suite.
# The mirror is the one this machine's apt sources already use; no host name is written here.
# Arguments name what is wanted (`26`, `28`, `ssh`); none means all three (the tests use them
# all, `demo` only 26).
set -euo pipefail
want_26=0 want_28=0 want_ssh=0
for release in "${@:-26 28 ssh}"; do
  for one in $release; do
    case $one in
      26) want_26=1 ;;
      28) want_28=1 ;;
      ssh) want_ssh=1 ;;
      *) echo "engine: unknown engine '$one' (26, 28 or ssh)" >&2; exit 2 ;;
    esac
  done
done

# The offline image is built from this static busybox (trixie's 1.37: bookworm's 1.35
# segfaults on `wget -T`). It is extracted here rather than installed over the host's.
BUSYBOX_DIR=/var/cache/netmigrate
BUSYBOX="$BUSYBOX_DIR/busybox"
ENGINE_28=${NETMIGRATE_ENGINE_28_DIR:-/opt/netmigrate/engine-28}

have_engine_26() {
  command -v dockerd >/dev/null 2>&1 &&
    [ -x /usr/libexec/docker/cli-plugins/docker-compose ] &&
    [ -x "$BUSYBOX" ] &&
    command -v tmux >/dev/null 2>&1 &&
    command -v openssl >/dev/null 2>&1
}

have_engine_28() {
  [ -x "$ENGINE_28/usr/sbin/dockerd" ] && [ -x "$ENGINE_28/usr/bin/docker" ] &&
    [ -x "$ENGINE_28/docker-config/cli-plugins/docker-compose" ]
}

have_openssh() {
  [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null 2>&1 && command -v ssh-agent >/dev/null 2>&1
}

engines_needed() { { [ $want_26 = 0 ] || have_engine_26; } && { [ $want_28 = 0 ] || have_engine_28; }; }
needed() { engines_needed && { [ $want_ssh = 0 ] || have_openssh; } && command -v nft >/dev/null; }
if needed; then
  echo "engine: already installed"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  if engines_needed; then missing='openssh-server (for the ssh:// engine test)'; else missing='Docker Engine'; fi
  echo "engine: $missing is missing and installing it needs root (run: sudo $0)" >&2
  exit 1
fi

# The first Debian archive this machine's apt sources name (deb822 or one-line format).
debian_mirror() {
  local uri
  uri=$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) if ($i !~ /security/) { print $i; exit } }' /etc/apt/sources.list.d/*.sources 2>/dev/null | head -n1)
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1 == "deb" && $0 !~ /security/ { for (i = 2; i <= NF; i++) if ($i ~ /^[a-z]+:\/\//) { print $i; exit } }' /etc/apt/sources.list | head -n1)
  fi
  if [ -z "$uri" ]; then
    echo "engine: no Debian archive found in this machine's apt sources (/etc/apt/sources.list*)" >&2
    exit 1
  fi
  echo "$uri"
}

# A suite of the same mirror, pinned at 100: packages come from it only when asked by name.
add_suite() {
  local suite=$1 mirror=$2
  if ! grep -rqsw "Suites:.*$suite\|$suite" /etc/apt/sources.list.d/ /etc/apt/sources.list 2>/dev/null; then
    printf 'Types: deb\nURIs: %s\nSuites: %s\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" "$suite" \
      > "/etc/apt/sources.list.d/netmigrate-$suite.sources"
    printf 'Package: *\nPin: release n=%s\nPin-Priority: 100\n' "$suite" > "/etc/apt/preferences.d/netmigrate-$suite"
    # `testing` is a name, not a codename: pin it by archive too.
    if [ "$suite" = testing ]; then
      printf 'Package: *\nPin: release a=testing\nPin-Priority: 100\n' > "/etc/apt/preferences.d/netmigrate-testing-archive"
    fi
  fi
}

export DEBIAN_FRONTEND=noninteractive
mirror=$(debian_mirror)
add_suite trixie "$mirror"
[ $want_28 = 0 ] || add_suite testing "$mirror"
apt-get update -qq

# The package would start (and enable) a system sshd: policy-rc.d refuses the start, unless the
# machine has a policy of its own, and a service that was not there before is left disabled.
install_openssh() {
  local guard=/usr/sbin/policy-rc.d ours=0 had_sshd=0 status=0
  [ ! -x /usr/sbin/sshd ] || had_sshd=1
  if [ ! -e "$guard" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$guard" && chmod 0755 "$guard" && ours=1
  fi
  apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null || status=$?
  [ $ours = 0 ] || rm -f "$guard"
  [ $status = 0 ] || exit "$status"
  if [ $had_sshd = 0 ] && command -v systemctl >/dev/null 2>&1; then
    systemctl disable --quiet ssh.service ssh.socket 2>/dev/null || true
  fi
}

[ $want_ssh = 0 ] || have_openssh || install_openssh
command -v nft >/dev/null || apt-get install -y -qq --no-install-recommends nftables >/dev/null

if [ $want_26 = 1 ] && ! have_engine_26; then
  # busybox-static builds the offline image; tmux drives the wizard in a real pty for the smoke
  # test; openssl makes the certificates of the TLS engine test.
  apt-get install -y -qq --no-install-recommends \
    docker.io/trixie docker-cli/trixie docker-compose/trixie \
    iptables nftables tmux openssl >/dev/null
  scratch=$(mktemp -d)
  (cd "$scratch" && apt-get download -qq busybox-static/trixie 2>/dev/null && dpkg-deb -x busybox-static_*.deb root)
  mkdir -p "$BUSYBOX_DIR"
  install -m 0755 "$scratch/root/usr/bin/busybox" "$BUSYBOX"
  rm -rf "$scratch"
fi

if [ $want_28 = 1 ] && ! have_engine_28; then
  scratch=$(mktemp -d)
  (cd "$scratch" && apt-get download -qq docker.io/testing docker-cli/testing docker-compose/testing 2>/dev/null)
  rm -rf "$ENGINE_28" && mkdir -p "$ENGINE_28/docker-config/cli-plugins"
  for deb in "$scratch"/*.deb; do dpkg-deb -x "$deb" "$ENGINE_28"; done
  ln -sf "$ENGINE_28/usr/libexec/docker/cli-plugins/docker-compose" "$ENGINE_28/docker-config/cli-plugins/docker-compose"
  rm -rf "$scratch"
fi

[ $want_ssh = 0 ] || echo "engine: $(ssh -V 2>&1) for the ssh:// test"
[ $want_26 = 0 ] || echo "engine: $(dockerd --version), compose $(/usr/libexec/docker/cli-plugins/docker-compose version --short)"
[ $want_28 = 0 ] || echo "engine: $("$ENGINE_28/usr/sbin/dockerd" --version), compose $("$ENGINE_28/docker-config/cli-plugins/docker-compose" version --short)"
