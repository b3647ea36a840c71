# The environment of task dozzle (group dozzle). Fill every value, then:
#   nomad var put @variables/dozzle.dozzle.nv.hcl
path = "nomad/jobs/media/dozzle/dozzle"

items {
  # from dozzle/docker-compose.yml:10
  DOZZLE_LEVEL = ""
}
