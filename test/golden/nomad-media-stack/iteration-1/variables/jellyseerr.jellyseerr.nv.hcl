# The environment of task jellyseerr (group jellyseerr). Fill every value, then:
#   nomad var put @variables/jellyseerr.jellyseerr.nv.hcl
path = "nomad/jobs/media/jellyseerr/jellyseerr"

items {
  # from jellyseerr/docker-compose.yml:12
  TZ = ""
  # from jellyseerr/docker-compose.yml:13
  LOG_LEVEL = ""
}
