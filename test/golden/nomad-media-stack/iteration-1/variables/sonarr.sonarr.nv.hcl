# The environment of task sonarr (group sonarr). Fill every value, then:
#   nomad var put @variables/sonarr.sonarr.nv.hcl
path = "nomad/jobs/media/sonarr/sonarr"

items {
  # from servarr/docker-compose.yml:8
  PUID = ""
  # from servarr/docker-compose.yml:9
  PGID = ""
  # from servarr/docker-compose.yml:10
  TZ = ""
}
