# The environment of task autoheal (group autoheal). Fill every value, then:
#   nomad var put @variables/autoheal.autoheal.nv.hcl
path = "nomad/jobs/media/autoheal/autoheal"

items {
  # from autoheal/docker-compose.yml:10
  AUTOHEAL_CONTAINER_LABEL = ""
  # from autoheal/docker-compose.yml:11
  AUTOHEAL_INTERVAL = ""
}
