# Compose project media, after iteration 1 (network-foundation), exported by netmigrate. Not validated against a Nomad server.
job "media" {
  datacenters = ["*"]
  type        = "service"

  group "traefik" {
    # namespace of traefik; compose networks after the iteration: backend-net, dmz-net, frontend-net, media-network, security-net
    network {
      mode = "bridge"

      port "p80" {
        static = 18080
        to     = 80
      }

      port "p443" {
        to = 443
      }
    }

    service {
      name = "traefik"
      port = "p80"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }
          }
        }
      }

      check {
        name     = "traefik healthcheck"
        type     = "script"
        task     = "traefik"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:80/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    service {
      name = "traefik-443"
      port = "p443"

      connect {
        sidecar_service {}
      }
    }

    task "traefik" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo traefik > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/traefik/traefik" }}
TZ={{ .TZ }}
TRAEFIK_PROVIDERS_DOCKER_NETWORK={{ .TRAEFIK_PROVIDERS_DOCKER_NETWORK }}
{{ end }}
EOT
      }
    }
  }

  group "cloudflared" {
    # namespace of cloudflared; compose networks after the iteration: dmz-net, media-network
    network {
      mode = "bridge"
    }

    service {
      name = "cloudflared"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }
    }

    task "cloudflared" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "exec sleep 2147483647"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/cloudflared/cloudflared" }}
TUNNEL_TOKEN={{ .TUNNEL_TOKEN }}
{{ end }}
EOT
      }
    }
  }

  group "jellyfin" {
    # namespace of jellyfin; compose networks after the iteration: frontend-net, media-network
    network {
      mode = "bridge"

      port "p8096" {
        static = 18096
        to     = 8096
      }
    }

    service {
      name = "jellyfin"
      port = "p8096"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "jellyfin healthcheck"
        type     = "script"
        task     = "jellyfin"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8096/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "jellyfin" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo jellyfin > /tmp/www/index.html && exec httpd -f -p 8096 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/jellyfin/jellyfin" }}
TZ={{ .TZ }}
JELLYFIN_PublishedServerUrl={{ .JELLYFIN_PublishedServerUrl }}
JELLYFIN_API_KEY={{ .JELLYFIN_API_KEY }}
{{ end }}
EOT
      }
    }
  }

  group "jellyseerr" {
    # namespace of jellyseerr; compose networks after the iteration: backend-net, frontend-net, media-network
    network {
      mode = "bridge"

      port "p5055" {
        static = 15055
        to     = 5055
      }
    }

    service {
      name = "jellyseerr"
      port = "p5055"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "jellyseerr healthcheck"
        type     = "script"
        task     = "jellyseerr"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:5055/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "jellyseerr" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo jellyseerr > /tmp/www/index.html && exec httpd -f -p 5055 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/jellyseerr/jellyseerr" }}
TZ={{ .TZ }}
LOG_LEVEL={{ .LOG_LEVEL }}
{{ end }}
EOT
      }
    }
  }

  group "web-ui" {
    # namespace of web-ui; compose networks after the iteration: frontend-net, media-network
    network {
      mode = "bridge"
    }

    service {
      name = "web-ui"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "web-ui healthcheck"
        type     = "script"
        task     = "web-ui"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:80/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "web-ui" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo web-ui > /tmp/www/index.html && exec httpd -f -p 80 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/web-ui/web-ui" }}
TZ={{ .TZ }}
{{ end }}
EOT
      }
    }
  }

  group "sonarr" {
    # namespace of sonarr; compose networks after the iteration: backend-net, download-net, media-network
    network {
      mode = "bridge"

      port "p8989" {
        static = 18989
        to     = 8989
      }
    }

    service {
      name = "sonarr"
      port = "p8989"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "sonarr healthcheck"
        type     = "script"
        task     = "sonarr"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8989/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "sonarr" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo sonarr > /tmp/www/index.html && exec httpd -f -p 8989 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/sonarr/sonarr" }}
PUID={{ .PUID }}
PGID={{ .PGID }}
TZ={{ .TZ }}
{{ end }}
EOT
      }
    }
  }

  group "radarr" {
    # namespace of radarr; compose networks after the iteration: backend-net, download-net, media-network
    network {
      mode = "bridge"

      port "p7878" {
        static = 17878
        to     = 7878
      }
    }

    service {
      name = "radarr"
      port = "p7878"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "radarr healthcheck"
        type     = "script"
        task     = "radarr"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:7878/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "radarr" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo radarr > /tmp/www/index.html && exec httpd -f -p 7878 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/radarr/radarr" }}
PUID={{ .PUID }}
PGID={{ .PGID }}
TZ={{ .TZ }}
{{ end }}
EOT
      }
    }
  }

  group "prowlarr" {
    # namespace of prowlarr; compose networks after the iteration: backend-net, download-net, media-network
    network {
      mode = "bridge"

      port "p9696" {
        to = 9696
      }
    }

    service {
      name = "prowlarr"
      port = "p9696"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "prowlarr healthcheck"
        type     = "script"
        task     = "prowlarr"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:9696/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "prowlarr" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo prowlarr > /tmp/www/index.html && exec httpd -f -p 9696 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/prowlarr/prowlarr" }}
PUID={{ .PUID }}
PGID={{ .PGID }}
TZ={{ .TZ }}
{{ end }}
EOT
      }
    }
  }

  group "bazarr" {
    # namespace of bazarr; compose networks after the iteration: backend-net, media-network
    network {
      mode = "bridge"

      port "p6767" {
        to = 6767
      }
    }

    service {
      name = "bazarr"
      port = "p6767"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "bazarr healthcheck"
        type     = "script"
        task     = "bazarr"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:6767/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "bazarr" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo bazarr > /tmp/www/index.html && exec httpd -f -p 6767 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/bazarr/bazarr" }}
PUID={{ .PUID }}
PGID={{ .PGID }}
TZ={{ .TZ }}
BAZARR_API_KEY={{ .BAZARR_API_KEY }}
{{ end }}
EOT
      }
    }
  }

  group "gluetun" {
    # namespace of gluetun (shared by qbittorrent); compose networks after the iteration: download-net, media-network
    # host volume gluetun-firewall-cgi: qbittorrent/firewall.cgi (declare it in each client's config; see README.md)
    network {
      mode = "bridge"

      port "p8080" {
        static = 18081
        to     = 8080
      }

      port "p8000" {
        to = 8000
      }
    }

    volume "gluetun-firewall-cgi" {
      type   = "host"
      source = "gluetun-firewall-cgi"
    }

    service {
      name = "gluetun"
      port = "p8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "gluetun healthcheck"
        type     = "script"
        task     = "gluetun"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/healthz.html"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    service {
      name = "gluetun-8000"
      port = "p8000"

      connect {
        sidecar_service {}
      }
    }

    task "gluetun" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www/cgi-bin && cp /firewall.cgi /tmp/www/cgi-bin/index.cgi && echo ok > /tmp/www/healthz.html && exec httpd -f -p 8080 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      volume_mount {
        volume      = "gluetun-firewall-cgi"
        destination = "/firewall.cgi"
        read_only   = true
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/gluetun/gluetun" }}
VPN_SERVICE_PROVIDER={{ .VPN_SERVICE_PROVIDER }}
VPN_TYPE={{ .VPN_TYPE }}
WIREGUARD_PRIVATE_KEY={{ .WIREGUARD_PRIVATE_KEY }}
WIREGUARD_ADDRESSES={{ .WIREGUARD_ADDRESSES }}
FIREWALL_OUTBOUND_SUBNETS={{ .FIREWALL_OUTBOUND_SUBNETS }}
TZ={{ .TZ }}
{{ end }}
EOT
      }
    }

    task "qbittorrent" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo qbittorrent > /tmp/www/index.html && exec httpd -f -p 127.0.0.1:8081 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/gluetun/qbittorrent" }}
WEBUI_PORT={{ .WEBUI_PORT }}
TZ={{ .TZ }}
{{ end }}
EOT
      }
    }
  }

  group "prometheus" {
    # namespace of prometheus; compose networks after the iteration: backend-net, download-net, frontend-net, media-network, mgmt-net
    network {
      mode = "bridge"

      port "p9090" {
        static = 19090
        to     = 9090
      }
    }

    service {
      name = "prometheus"
      port = "p9090"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "prometheus healthcheck"
        type     = "script"
        task     = "prometheus"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:9090/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "prometheus" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo prometheus > /tmp/www/index.html && exec httpd -f -p 9090 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }
    }
  }

  group "grafana" {
    # namespace of grafana; compose networks after the iteration: frontend-net, media-network, mgmt-net
    network {
      mode = "bridge"

      port "p3000" {
        to = 3000
      }
    }

    service {
      name = "grafana"
      port = "p3000"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "grafana healthcheck"
        type     = "script"
        task     = "grafana"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:3000/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "grafana" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo grafana > /tmp/www/index.html && exec httpd -f -p 3000 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/grafana/grafana" }}
GF_SECURITY_ADMIN_USER={{ .GF_SECURITY_ADMIN_USER }}
GF_SECURITY_ADMIN_PASSWORD={{ .GF_SECURITY_ADMIN_PASSWORD }}
{{ end }}
EOT
      }
    }
  }

  group "cadvisor" {
    # namespace of cadvisor; compose networks after the iteration: media-network, mgmt-net
    network {
      mode = "bridge"

      port "p8080" {
        to = 8080
      }
    }

    service {
      name = "cadvisor"
      port = "p8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "cadvisor healthcheck"
        type     = "script"
        task     = "cadvisor"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "cadvisor" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo cadvisor > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }
    }
  }

  group "node-exporter" {
    # namespace of node-exporter; compose networks after the iteration: media-network, mgmt-net
    network {
      mode = "bridge"

      port "p9100" {
        to = 9100
      }
    }

    service {
      name = "node-exporter"
      port = "p9100"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "node-exporter healthcheck"
        type     = "script"
        task     = "node-exporter"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:9100/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "node-exporter" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo node-exporter > /tmp/www/index.html && exec httpd -f -p 9100 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }
    }
  }

  group "alertmanager" {
    # namespace of alertmanager; compose networks after the iteration: media-network, mgmt-net
    network {
      mode = "bridge"

      port "p9093" {
        to = 9093
      }
    }

    service {
      name = "alertmanager"
      port = "p9093"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "alertmanager healthcheck"
        type     = "script"
        task     = "alertmanager"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:9093/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "alertmanager" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo alertmanager > /tmp/www/index.html && exec httpd -f -p 9093 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }
    }
  }

  group "dozzle" {
    # namespace of dozzle; compose networks after the iteration: media-network, mgmt-net
    network {
      mode = "bridge"

      port "p8080" {
        to = 8080
      }
    }

    service {
      name = "dozzle"
      port = "p8080"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "dozzle healthcheck"
        type     = "script"
        task     = "dozzle"
        command  = "sh"
        args     = ["-c", "timeout 3 wget -q -O /dev/null http://127.0.0.1:8080/"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "dozzle" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "mkdir -p /tmp/www && echo dozzle > /tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/dozzle/dozzle" }}
DOZZLE_LEVEL={{ .DOZZLE_LEVEL }}
{{ end }}
EOT
      }
    }
  }

  group "autoheal" {
    # namespace of autoheal; compose networks after the iteration: download-net, media-network, mgmt-net
    network {
      mode = "bridge"
    }

    service {
      name = "autoheal"

      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "alertmanager"
              local_bind_port  = 9093
            }

            upstreams {
              destination_name = "bazarr"
              local_bind_port  = 6767
            }

            upstreams {
              destination_name = "cadvisor"
              local_bind_port  = 8080
            }

            upstreams {
              destination_name = "dozzle"
              local_bind_port  = 40000
            }

            upstreams {
              destination_name = "gluetun"
              local_bind_port  = 40001
            }

            upstreams {
              destination_name = "gluetun-8000"
              local_bind_port  = 8000
            }

            upstreams {
              destination_name = "grafana"
              local_bind_port  = 3000
            }

            upstreams {
              destination_name = "jellyfin"
              local_bind_port  = 8096
            }

            upstreams {
              destination_name = "jellyseerr"
              local_bind_port  = 5055
            }

            upstreams {
              destination_name = "node-exporter"
              local_bind_port  = 9100
            }

            upstreams {
              destination_name = "prometheus"
              local_bind_port  = 9090
            }

            upstreams {
              destination_name = "prowlarr"
              local_bind_port  = 9696
            }

            upstreams {
              destination_name = "radarr"
              local_bind_port  = 7878
            }

            upstreams {
              destination_name = "sonarr"
              local_bind_port  = 8989
            }

            upstreams {
              destination_name = "traefik"
              local_bind_port  = 40002
            }

            upstreams {
              destination_name = "traefik-443"
              local_bind_port  = 40003
            }
          }
        }
      }

      check {
        name     = "autoheal healthcheck"
        type     = "script"
        task     = "autoheal"
        command  = "sh"
        args     = ["-c", "test -d /proc/1"]
        interval = "2s"
        timeout  = "5s"
      }
    }

    task "autoheal" {
      driver = "docker"

      config {
        image = "netmigrate/busybox:1"
        args  = ["sh", "-c", "exec sleep 2147483647"]
        init  = true
      }

      # compose: restart: unless-stopped
      restart {
        attempts = 10
        delay    = "15s"
        interval = "30m"
        mode     = "delay"
      }

      template {
        destination = "secrets/env"
        env         = true
        change_mode = "restart"
        data        = <<EOT
{{ with nomadVar "nomad/jobs/media/autoheal/autoheal" }}
AUTOHEAL_CONTAINER_LABEL={{ .AUTOHEAL_CONTAINER_LABEL }}
AUTOHEAL_INTERVAL={{ .AUTOHEAL_INTERVAL }}
{{ end }}
EOT
      }
    }
  }
}
