# Who may reach web-ui (in the namespace of web-ui): the intended reachable pairs.
#   consul config write intentions/web-ui.hcl
Kind    = "service-intentions"
Name    = "web-ui"
Sources = [
  {Name = "grafana", Action = "allow"},
  {Name = "jellyfin", Action = "allow"},
  {Name = "jellyseerr", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "traefik", Action = "allow"},
]
