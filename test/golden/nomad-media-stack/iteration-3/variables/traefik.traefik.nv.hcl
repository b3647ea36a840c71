# The environment of task traefik (group traefik). Fill every value, then:
#   nomad var put @variables/traefik.traefik.nv.hcl
path = "nomad/jobs/media/traefik/traefik"

items {
  # from traefik/docker-compose.yml:13
  TZ = ""
  # from traefik/docker-compose.yml:14
  TRAEFIK_PROVIDERS_DOCKER_NETWORK = ""
}
