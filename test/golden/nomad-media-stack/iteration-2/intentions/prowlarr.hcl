# Who may reach prowlarr (in the namespace of prowlarr): the intended reachable pairs.
#   consul config write intentions/prowlarr.hcl
Kind    = "service-intentions"
Name    = "prowlarr"
Sources = [
  {Name = "alertmanager", Action = "allow"},
  {Name = "autoheal", Action = "allow"},
  {Name = "bazarr", Action = "allow"},
  {Name = "cadvisor", Action = "allow"},
  {Name = "cloudflared", Action = "allow"},
  {Name = "dozzle", Action = "allow"},
  {Name = "gluetun", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "jellyfin", Action = "allow"},
  {Name = "jellyseerr", Action = "allow"},
  {Name = "node-exporter", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "sonarr", Action = "allow"},
  {Name = "traefik", Action = "allow"},
  {Name = "web-ui", Action = "allow"},
]
