# Who may reach jellyfin (in the namespace of jellyfin): the intended reachable pairs.
#   consul config write intentions/jellyfin.hcl
Kind    = "service-intentions"
Name    = "jellyfin"
Sources = [
  {Name = "grafana", Action = "allow"},
  {Name = "jellyseerr", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "traefik", Action = "allow"},
  {Name = "web-ui", Action = "allow"},
]
