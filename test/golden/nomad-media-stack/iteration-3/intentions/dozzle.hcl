# Who may reach dozzle (in the namespace of dozzle): the intended reachable pairs.
#   consul config write intentions/dozzle.hcl
Kind    = "service-intentions"
Name    = "dozzle"
Sources = [
  {Name = "alertmanager", Action = "allow"},
  {Name = "autoheal", Action = "allow"},
  {Name = "cadvisor", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "node-exporter", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
]
