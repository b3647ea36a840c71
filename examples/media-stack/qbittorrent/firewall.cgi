#!/bin/sh
# busybox httpd runs this for every request to gluetun's port 8080 (index.cgi).
# Like gluetun's firewall: loopback and FIREWALL_OUTBOUND_SUBNETS get through to
# qbittorrent (on 127.0.0.1:8081 in the shared namespace); anyone else gets 403.

ip_to_int() {
  local IFS=.
  set -- $1
  echo $(( ($1 << 24) + ($2 << 16) + ($3 << 8) + $4 ))
}

in_subnet() { # address cidr
  local net=${2%/*} bits=${2#*/} mask
  [ "$bits" = "$2" ] && bits=32
  mask=$(( bits == 0 ? 0 : (0xFFFFFFFF << (32 - bits)) & 0xFFFFFFFF ))
  [ $(( $(ip_to_int "$1") & mask )) -eq $(( $(ip_to_int "$net") & mask )) ]
}

allowed() {
  for cidr in 127.0.0.0/8 $(echo "$FIREWALL_OUTBOUND_SUBNETS" | tr ',' ' '); do
    in_subnet "$1" "$cidr" && return 0
  done
  return 1
}

# busybox httpd reports IPv4 clients as "[::ffff:172.18.0.5]".
client=${REMOTE_ADDR#[}
client=${client%]}
client=${client#::ffff:}
if ! allowed "$client"; then
  printf 'Status: 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n'
  echo "gluetun firewall: $client is not in FIREWALL_OUTBOUND_SUBNETS=$FIREWALL_OUTBOUND_SUBNETS"
  exit 0
fi
if body=$(timeout 3 wget -q -O - http://127.0.0.1:8081/ 2>/dev/null); then
  printf 'Content-Type: text/plain\r\n\r\n%s\n' "$body"
else
  printf 'Status: 502 Bad Gateway\r\nContent-Type: text/plain\r\n\r\nqbittorrent is not answering in this namespace\n'
fi
