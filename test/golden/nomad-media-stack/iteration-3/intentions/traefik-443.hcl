# Who may reach traefik-443 (in the namespace of traefik): the intended reachable pairs.
#   consul config write intentions/traefik-443.hcl
Kind    = "service-intentions"
Name    = "traefik-443"
Sources = [
  {Name = "bazarr", Action = "allow"},
  {Name = "cloudflared", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "jellyfin", Action = "allow"},
  {Name = "jellyseerr", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "prowlarr", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "sonarr", Action = "allow"},
  {Name = "web-ui", Action = "allow"},
]
