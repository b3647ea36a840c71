# The environment of task qbittorrent (group gluetun). Fill every value, then:
#   nomad var put @variables/gluetun.qbittorrent.nv.hcl
path = "nomad/jobs/media/gluetun/qbittorrent"

items {
  # from qbittorrent/docker-compose.yml:43
  WEBUI_PORT = ""
  # from qbittorrent/docker-compose.yml:44
  TZ = ""
}
