# The environment of task jellyfin (group jellyfin). Fill every value, then:
#   nomad var put @variables/jellyfin.jellyfin.nv.hcl
path = "nomad/jobs/media/jellyfin/jellyfin"

items {
  # from jellyfin/docker-compose.yml:16
  TZ = ""
  # from jellyfin/docker-compose.yml:17
  JELLYFIN_PublishedServerUrl = ""
  # from jellyfin/docker-compose.yml:18
  JELLYFIN_API_KEY = ""
}
