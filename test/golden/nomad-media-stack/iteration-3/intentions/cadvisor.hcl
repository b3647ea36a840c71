# Who may reach cadvisor (in the namespace of cadvisor): the intended reachable pairs.
#   consul config write intentions/cadvisor.hcl
Kind    = "service-intentions"
Name    = "cadvisor"
Sources = [
  {Name = "alertmanager", Action = "allow"},
  {Name = "autoheal", Action = "allow"},
  {Name = "dozzle", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "node-exporter", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
]
