/**
 * `netmigrate --help`: every command and option in one screen of text, apart from the parsing
 * (cli.ts) so each reads whole.
 */
export const usage = `netmigrate — re-segment a running docker-compose stack onto new networks, one safe iteration at a time

Usage:
  netmigrate                                  the wizard (needs a terminal; without one, prints the status)
  netmigrate init [--preset tiered|per-app]   draft netmigrate.yml from the running stack
  netmigrate plan [--iteration N]             dry run: the actions and file diffs, changing nothing;
      [--out FILE]                            and save the plan (0600, no secret in clear) for \`apply FILE\`
  netmigrate apply [--iteration N] [--yes]    run the next iteration (or resume an interrupted one)
  netmigrate apply FILE [--yes]               run exactly the plan saved by \`plan --out\`, or refuse (exit 5)
                                              naming what changed since it was made
  netmigrate rollback [--iteration N] [--yes] undo an iteration: files byte-identical, networks as before;
      [--on-conflict stop|theirs|backup]      a file you changed since keeps your changes (merged)
  netmigrate settle [--yes]                   after a live iteration: recreate the services whose compose files
                                              changed, one at a time (a plain \`docker compose up -d\` would
                                              recreate them all at once)
  netmigrate status                           every iteration's state, and who holds the lock
  netmigrate report [--iteration N]           print the last report
  netmigrate map [--iteration N]              who is on which network now, and after iteration N (joined +,
      [--format text|json|mermaid]            left -; followers under their owner; egress and internal marked)
  netmigrate verify [--json]                  every pair of the stack's network namespaces probed against the
      [--prometheus FILE]                     plan after the last done iteration: exit 0 as intended, 1 on any
                                              mismatch; FILE: a node-exporter textfile (.prom)
  netmigrate force-unlock <id>                remove a lock whose run is gone (id from status)
  netmigrate demo                             the wizard on a private engine running the bundled example stack
  netmigrate config list|get|set|unset [key] [value]
                                              your own defaults (keys: host, probe-image, glyphs), and the
                                              stacks netmigrate has run in, as \`git config\` keeps them
  netmigrate export nomad [--out DIR]         the segmented stack as Nomad jobs, Consul intentions and the clients'
      [--iteration N] [--force]               nftables rules, after iteration N (default: the last one done);
                                              not validated against a Nomad server

Options:
  --plan <file>            the plan (default ./netmigrate.yml)
  -p, --project-name <n>   the compose project name, as \`docker compose -p\` (also COMPOSE_PROJECT_NAME)
  --env-file <file>        an env file for interpolation, as compose's (repeatable; also COMPOSE_ENV_FILES)
  --profile <name>         an active compose profile (repeatable; also COMPOSE_PROFILES)
  --host <socket|url>      the Docker engine (default $DOCKER_HOST, else unix:///var/run/docker.sock)
  --iteration <N>          which iteration (1-based)
  --mode live|recreate     multi-home running containers live (default) or by rolling recreate
  --json                   one JSON document/event per line instead of text
  -y, --yes                apply/rollback without asking before each step that changes the host
  --probe-image <image>    image for connectivity probes, already on the engine (needs sh, nc, wget, nslookup,
                           timeout, awk, ts; default: a busybox the engine has, else one imported offline)
  --no-matrix              apply: probe only the plan's checks, not every pair of services (the checks step
                           otherwise proves the whole reachability matrix, as \`netmigrate verify\` does)
  --detailed-exitcode      plan: exit 2 when changes are pending, 0 when none
  --out <file>             plan: save the plan for \`netmigrate apply <file>\` (hashes of the files and the engine's
                           picture it was made from; apply runs exactly it or refuses with exit 5)
  --format <f>             map: text (default), json or mermaid (a flowchart for your docs)
  --prometheus <file>      verify: also write the result as a node-exporter textfile
  --observed <file>        verify: render a saved result (verify --json's output) instead of probing
  --on-conflict <how>      rollback, for a file you changed on or beside lines netmigrate changed: stop before
                           any change (default), theirs (keep your file as it is; its networks on the engine are
                           still undone), backup (restore the backup; your copy saved in .netmigrate/drift/)
  -h, --help               show this help
  -v, --version            print the version, its commit and the kind of build

init options:
  --stack <folder>, -f <file>   the stack (default: the current folder, else the running project);
                                -f is repeatable; without it, COMPOSE_FILE or compose's default file
                                and its override file; -f, --env-file and --profile are written to
                                the plan's \`stack:\` so every later command reads the same files
  --preset tiered|per-app       tiers by well-known images (default), or one network per app
  --tiers <file>                extra keyword → tiers table (YAML), tried before the built-in one
  --group <name=app1,app2>      per-app: apps sharing one network (repeatable)
  --legacy <network>            the flat network to migrate from (default: the most used one)
  --swarm <stack>               a swarm stack deployed under that name (run against a manager): the
                                draft says target: swarm; the file is -f, else compose's default,
                                else docker-stack.yml or stack.yml
  --output <file>, --force      where to write; replace an existing plan

Environment:
  DOCKER_HOST              the engine, when --host is not given: unix://, tcp:// (TLS below) or ssh://user@host
  DOCKER_CONTEXT           else this docker context (else the CLI config's current context), as the docker CLI picks it
  DOCKER_CONFIG            the docker CLI's config folder: its cli-plugins/ decide which compose runs
  DOCKER_TLS_VERIFY, DOCKER_CERT_PATH   TLS for a tcp:// engine (ca.pem, cert.pem, key.pem), for netmigrate and compose
  SSH_AUTH_SOCK            the ssh agent for an ssh:// engine, reached with the system ssh as the docker CLI does
                           (~/.ssh/config and known_hosts apply; no prompts)
  COMPOSE_PROJECT_NAME, COMPOSE_FILE, COMPOSE_PATH_SEPARATOR, COMPOSE_ENV_FILES, COMPOSE_PROFILES
                           read as compose reads them (the shell wins over .env) and passed on to compose
  NO_COLOR                 no colours; LC_ALL / LC_CTYPE / LANG and TERM choose Unicode or ASCII glyphs
  NETMIGRATE_GLYPHS        ascii|unicode, overriding that guess
  NETMIGRATE_PROBE_IMAGE   the probe image, when --probe-image is not given
  NETMIGRATE_CONFIG_DIR    where \`netmigrate config\` keeps its settings.json (default ~/.config/netmigrate)
  NETMIGRATE_DOCKER_CLI    the docker CLI that runs compose (default: docker on PATH)

A flag beats the environment, which beats a setting (\`netmigrate config\`), which beats the default.

Exit codes: 0 done, 1 failed (state saved), 2 bad input, 3 locked, 4 engine unreachable,
5 a saved plan no longer holds (nothing changed). \`plan --detailed-exitcode\`: 2 when changes are pending.
`;
