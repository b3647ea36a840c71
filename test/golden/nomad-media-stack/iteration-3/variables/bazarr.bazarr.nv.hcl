# The environment of task bazarr (group bazarr). Fill every value, then:
#   nomad var put @variables/bazarr.bazarr.nv.hcl
path = "nomad/jobs/media/bazarr/bazarr"

items {
  # from servarr/docker-compose.yml:8
  PUID = ""
  # from servarr/docker-compose.yml:9
  PGID = ""
  # from servarr/docker-compose.yml:10
  TZ = ""
  # from servarr/docker-compose.yml:61
  BAZARR_API_KEY = ""
}
