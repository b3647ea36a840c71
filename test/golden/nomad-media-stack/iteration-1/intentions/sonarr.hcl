# Who may reach sonarr (in the namespace of sonarr): the intended reachable pairs.
#   consul config write intentions/sonarr.hcl
Kind    = "service-intentions"
Name    = "sonarr"
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
  {Name = "prowlarr", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "traefik", Action = "allow"},
  {Name = "web-ui", Action = "allow"},
]
