# Everything not allowed above is denied: pairs the plan isolates get no intention.
#   consul config write intentions/default-deny.hcl
Kind    = "service-intentions"
Name    = "*"
Sources = [
  {Name = "*", Action = "deny"},
]
