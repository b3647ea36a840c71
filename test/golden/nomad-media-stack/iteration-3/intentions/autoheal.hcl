# Who may reach autoheal (in the namespace of autoheal): the intended reachable pairs.
#   consul config write intentions/autoheal.hcl
Kind    = "service-intentions"
Name    = "autoheal"
Sources = [
  {Name = "alertmanager", Action = "allow"},
  {Name = "cadvisor", Action = "allow"},
  {Name = "dozzle", Action = "allow"},
  {Name = "gluetun", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "node-exporter", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
  {Name = "prowlarr", Action = "allow"},
  {Name = "radarr", Action = "allow"},
  {Name = "sonarr", Action = "allow"},
]
