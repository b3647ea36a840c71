# The environment of task prowlarr (group prowlarr). Fill every value, then:
#   nomad var put @variables/prowlarr.prowlarr.nv.hcl
path = "nomad/jobs/media/prowlarr/prowlarr"

items {
  # from servarr/docker-compose.yml:8
  PUID = ""
  # from servarr/docker-compose.yml:9
  PGID = ""
  # from servarr/docker-compose.yml:10
  TZ = ""
}
