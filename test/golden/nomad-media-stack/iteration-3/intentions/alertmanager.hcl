# Who may reach alertmanager (in the namespace of alertmanager): the intended reachable pairs.
#   consul config write intentions/alertmanager.hcl
Kind    = "service-intentions"
Name    = "alertmanager"
Sources = [
  {Name = "autoheal", Action = "allow"},
  {Name = "cadvisor", Action = "allow"},
  {Name = "dozzle", Action = "allow"},
  {Name = "grafana", Action = "allow"},
  {Name = "node-exporter", Action = "allow"},
  {Name = "prometheus", Action = "allow"},
]
