# Who may reach bazarr (in the namespace of bazarr): the intended reachable pairs.
#   consul config write intentions/bazarr.hcl
Kind    = "service-intentions"
Name    = "bazarr"
Sources = [
  {Name = "jellyseerr", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "prowlarr", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "sonarr", Action = "allow"},
  {Name = "traefik", Action = "allow"},
]
