# Who may reach gluetun (in the namespace of gluetun): the intended reachable pairs.
#   consul config write intentions/gluetun.hcl
Kind    = "service-intentions"
Name    = "gluetun"
Sources = [
  {Name = "autoheal", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "prowlarr", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "sonarr", Action = "allow"},
]
