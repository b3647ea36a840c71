# The environment of task web-ui (group web-ui). Fill every value, then:
#   nomad var put @variables/web-ui.web-ui.nv.hcl
path = "nomad/jobs/media/web-ui/web-ui"

items {
  # from web-ui/docker-compose.yml:10
  TZ = ""
}
