# The environment of task grafana (group grafana). Fill every value, then:
#   nomad var put @variables/grafana.grafana.nv.hcl
path = "nomad/jobs/media/grafana/grafana"

items {
  # from monitoring/docker-compose.yml:30
  GF_SECURITY_ADMIN_USER = ""
  # from monitoring/docker-compose.yml:31
  GF_SECURITY_ADMIN_PASSWORD = ""
}
