# Who may reach gluetun-8000 (in the namespace of gluetun): the intended reachable pairs.
#   consul config write intentions/gluetun-8000.hcl
Kind    = "service-intentions"
Name    = "gluetun-8000"
Sources = [
  {Name = "autoheal", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "prowlarr", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "sonarr", Action = "allow"},
]
