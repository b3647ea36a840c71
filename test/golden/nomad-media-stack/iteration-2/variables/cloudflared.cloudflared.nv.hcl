# The environment of task cloudflared (group cloudflared). Fill every value, then:
#   nomad var put @variables/cloudflared.cloudflared.nv.hcl
path = "nomad/jobs/media/cloudflared/cloudflared"

items {
  # from cloudflared/docker-compose.yml:11
  TUNNEL_TOKEN = ""
}
