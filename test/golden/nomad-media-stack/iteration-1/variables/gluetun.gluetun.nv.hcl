# The environment of task gluetun (group gluetun). Fill every value, then:
#   nomad var put @variables/gluetun.gluetun.nv.hcl
path = "nomad/jobs/media/gluetun/gluetun"

items {
  # from qbittorrent/docker-compose.yml:15
  VPN_SERVICE_PROVIDER = ""
  # from qbittorrent/docker-compose.yml:16
  VPN_TYPE = ""
  # from qbittorrent/docker-compose.yml:17
  WIREGUARD_PRIVATE_KEY = ""
  # from qbittorrent/docker-compose.yml:18
  WIREGUARD_ADDRESSES = ""
  # from qbittorrent/docker-compose.yml:19
  FIREWALL_OUTBOUND_SUBNETS = ""
  # from qbittorrent/docker-compose.yml:20
  TZ = ""
}
