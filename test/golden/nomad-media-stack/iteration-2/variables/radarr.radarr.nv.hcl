# The environment of task radarr (group radarr). Fill every value, then:
#   nomad var put @variables/radarr.radarr.nv.hcl
path = "nomad/jobs/media/radarr/radarr"

items {
  # from servarr/docker-compose.yml:8
  PUID = ""
  # from servarr/docker-compose.yml:9
  PGID = ""
  # from servarr/docker-compose.yml:10
  TZ = ""
}
