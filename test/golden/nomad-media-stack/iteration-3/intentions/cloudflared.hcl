# Who may reach cloudflared (in the namespace of cloudflared): the intended reachable pairs.
#   consul config write intentions/cloudflared.hcl
Kind    = "service-intentions"
Name    = "cloudflared"
Sources = [
  {Name = "traefik", Action = "allow"},
]
