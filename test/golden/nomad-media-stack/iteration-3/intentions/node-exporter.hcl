# Who may reach node-exporter (in the namespace of node-exporter): the intended reachable pairs.
#   consul config write intentions/node-exporter.hcl
Kind    = "service-intentions"
Name    = "node-exporter"
Sources = [
  {Name = "alertmanager", Action = "allow"},
  {Name = "autoheal", Action = "allow"},
  {Name = "cadvisor", Action = "allow"},
  {Name = "dozzle", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
]
