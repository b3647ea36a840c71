/**
 * The Nomad export's mapping, on a small stack shaped like a homelab's: a VPN gateway with a
 * download client in its namespace, a proxy publishing 443 and DNS publishing 53/udp, an app
 * whose published port the plan retires, a database nobody outside its network reaches, a
 * GPU media server. Asserts on the exported files (parsed with HashiCorp's parser) and on the
 * command's folder and output.
 */
import assert from 'node:assert/strict';
import {mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, existsSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {test} from 'node:test';
import {loadComposeProject} from '../../source/compose/project.js';
import {exportNomad, type ExportFile} from '../../source/export/nomad/index.js';
import {parsePlan} from '../../source/plan/load.js';
import {exportCommand, exportIteration} from '../../source/commands/export.js';
import type {StackStatus} from '../../source/runs/status.js';
import {nomadRuleViolations, readExport} from '../harness/nomad-export.js';
import {jobFileSchema, parseChecked} from '../harness/nomad-schema.js';

const compose = `# homelab: one flat network
name: lab
services:
  gluetun:
    image: qmcgaw/gluetun:v3
    cap_add: [NET_ADMIN]
    devices: [/dev/net/tun:/dev/net/tun]
    environment:
      WIREGUARD_PRIVATE_KEY: wOEI9rqqbDwnN8/Bpp22sVz48T71vJ4fYmFWujulwUU=
      TZ: Europe/Berlin
    ports: ["8080:8080"]
    networks: [lab]
  qbittorrent:
    image: lscr.io/linuxserver/qbittorrent:5.0
    network_mode: service:gluetun
    environment: [WEBUI_PORT=8080, PASSWORD=hunter2]
  caddy:
    image: caddy:2
    restart: unless-stopped
    ports: ["443:443", "80:80"]
    volumes: [./Caddyfile:/etc/caddy/Caddyfile:ro, caddy_data:/data]
    networks: [lab]
  pihole:
    image: pihole/pihole:2024.07.0
    ports: ["53:53/udp", "53:53/tcp", "8053:80"]
    healthcheck:
      test: ["CMD-SHELL", "dig +short @127.0.0.1 pi.hole || exit 1"]
      interval: 30s
      timeout: 5s
    networks: [lab]
  sonarr:
    image: lscr.io/linuxserver/sonarr:4
    ports: ["18989:8989"]
    networks: [lab]
  postgres:
    image: postgres:16
    expose: ["5432"]
    environment: {POSTGRES_PASSWORD: "\${DB_PASSWORD}"}
    networks: [lab]
  jellyfin:
    image: jellyfin/jellyfin:10.9
    runtime: nvidia
    privileged: true
    networks: [lab]
  homeassistant:
    image: ghcr.io/home-assistant/home-assistant:2024.8
    network_mode: host
networks:
  lab: {name: lab}
volumes:
  caddy_data: {}
`;

const plan = `version: 1
legacy: lab
networks:
  edge-net: {subnet: 10.90.0.0/24}
  apps-net: {subnet: 10.90.1.0/24, internal: true}
  db-net: {subnet: 10.90.2.0/24, internal: true}
iterations:
  - name: split
    attach:
      caddy: [edge-net, apps-net]
      gluetun: [apps-net]
      sonarr: [apps-net, db-net]
      postgres: [db-net]
      pihole: [edge-net]
      jellyfin: [apps-net]
    unpublish:
      sonarr: ["18989"]
    detach:
      all: [lab]
    checks:
      - {from: sonarr, to: "qbittorrent:8080", via: apps-net}
      - {from: caddy, to: "postgres:5432", via: db-net, expect: blocked}
`;

function exported(iteration = 0): {files: ExportFile[]; text: (file: string) => string; root: string} {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-nomad-'));
	writeFileSync(path.join(root, 'docker-compose.yml'), compose);
	writeFileSync(path.join(root, 'Caddyfile'), ':443\n');
	const project = loadComposeProject(root, ['docker-compose.yml'], {environment: {DB_PASSWORD: 'pg-secret-value'}});
	const {files} = exportNomad(project, parsePlan(path.join(root, 'netmigrate.yml'), plan).plan, iteration);
	const text = (file: string) => files.find((entry) => entry.file === file)?.text ?? assert.fail(`no ${file}`);
	return {files, text, root};
}

test("a service in another's namespace (network_mode: service:) is a task of its owner's group, and its port is the owner's", async () => {
	const {files, root} = exported();
	const {job} = await readExport(files);
	const groups = job.job.lab?.[0]?.group ?? {};
	assert.deepEqual(Object.keys(groups['gluetun']?.[0]?.task ?? {}), ['gluetun', 'qbittorrent']);
	assert.equal(groups['qbittorrent'], undefined);
	// sonarr's check of qbittorrent:8080 is an upstream to gluetun's group (the port gluetun publishes for its follower).
	assert.ok((await readExport(files)).upstreams.has('sonarr → gluetun:8080'));
	rmSync(root, {recursive: true});
});

test("only ports still published to users are static; the plan's unpublished port and every other port are dynamic (to = container port)", async () => {
	const {files, text, root} = exported();
	const {job} = await readExport(files);
	const groups = job.job.lab?.[0]?.group ?? {};
	const ports = (owner: string) => groups[owner]?.[0]?.network?.[0]?.port ?? {};
	assert.deepEqual(ports('caddy').p443, [{static: 443, to: 443}]);
	assert.deepEqual(ports('pihole').p53, [{static: 53, to: 53}]);
	assert.deepEqual(ports('sonarr').p8989, [{to: 8989}]);
	assert.deepEqual(ports('postgres').p5432, [{to: 5432}]);
	assert.ok(groups.caddy?.[0]?.network?.every((network) => network.mode === 'bridge'));
	const firewall = text('firewall.nft');
	assert.match(firewall, /udp dport 53 accept/);
	assert.match(firewall, /tcp dport 443 accept/);
	assert.doesNotMatch(firewall, /dport 18989/);
	assert.doesNotMatch(firewall, /dport 5432/);
	// Before the iteration, sonarr still publishes 18989.
	assert.match(exported(-1).text('firewall.nft'), /tcp dport 18989 accept comment "static: sonarr"/);
	rmSync(root, {recursive: true});
});

test('isolated pairs get nothing: postgres is reached only from sonarr (db-net), by upstream and intention', async () => {
	const {files, text, root} = exported();
	const back = await readExport(files);
	assert.deepEqual(
		[...back.allowed].filter((pair) => pair.endsWith('→ postgres')),
		['sonarr → postgres'],
	);
	assert.ok(back.upstreams.has('sonarr → postgres:5432'));
	assert.ok(![...back.upstreams].some((entry) => entry.startsWith('caddy → postgres')));
	assert.match(text('intentions/postgres.hcl'), /Name = "sonarr", Action = "allow"/);
	rmSync(root, {recursive: true});
});

test('no environment value is written in clear: each task reads a Nomad Variable whose keys the export lists with empty values', () => {
	const {files, text, root} = exported();
	const everything = files.map((entry) => entry.text).join('\n');
	for (const secret of ['wOEI9rqqbDwnN8', 'hunter2', 'pg-secret-value', 'Europe/Berlin'])
		assert.ok(!everything.includes(secret), `${secret} leaked`);
	assert.match(text('lab.nomad.hcl'), /nomadVar "nomad\/jobs\/lab\/gluetun\/qbittorrent"/);
	assert.match(text('lab.nomad.hcl'), /PASSWORD=\{\{ \.PASSWORD \}\}/);
	assert.match(text('variables/gluetun.qbittorrent.nv.hcl'), /PASSWORD = ""/);
	assert.match(text('variables/postgres.postgres.nv.hcl'), /# from docker-compose.yml:\d+\n\s+POSTGRES_PASSWORD = ""/);
	rmSync(root, {recursive: true});
});

test('what Nomad cannot carry is listed in the README with why: devices, GPU runtime, privileged, capabilities, host networking', () => {
	const {text, root} = exported();
	const readme = text('README.md');
	for (const line of [
		/- gluetun: `devices` — /,
		/- gluetun: `cap_add` — /,
		/- jellyfin: `runtime` — .*nvidia/,
		/- jellyfin: `privileged` — /,
		/- homeassistant: `network_mode: host` — host networking bypasses the bridge and the mesh/,
	])
		assert.match(readme, line);
	assert.match(readme, /\*\*not validated against a Nomad server/);
	assert.match(readme, /host_volume "caddy-caddyfile" \{ path = "\/srv\/lab\/Caddyfile" \}/);
	assert.match(readme, /host_volume "caddy_data"/);
	assert.doesNotMatch(text('lab.nomad.hcl'), /privileged|runtime|devices/);
	rmSync(root, {recursive: true});
});

test('export nomad writes into a new folder, replaces its own export, refuses a folder it did not write unless forced', async () => {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-nomad-cli-'));
	writeFileSync(path.join(root, 'docker-compose.yml'), compose);
	writeFileSync(path.join(root, 'Caddyfile'), ':443\n');
	writeFileSync(path.join(root, 'netmigrate.yml'), plan);
	const out = path.join(root, 'nomad');
	const lines: string[] = [];
	const previous = process.env.DB_PASSWORD;
	process.env.DB_PASSWORD = 'x';
	try {
		assert.equal(
			await exportCommand('nomad', {plan: path.join(root, 'netmigrate.yml'), out, force: false}, (line) => lines.push(line)),
			0,
		);
		assert.ok(existsSync(path.join(out, 'lab.nomad.hcl')));
		assert.match(lines[0] ?? '', /after iteration 1 \(split\)/);
		assert.match(lines.at(-1) ?? '', /^not validated against a Nomad server/);
		// Again into its own export: allowed; a stale file it wrote is removed.
		writeFileSync(
			path.join(out, '.netmigrate-export'),
			JSON.stringify([...JSON.parse(readFileSync(path.join(out, '.netmigrate-export'), 'utf8')), 'intentions/gone.hcl']),
		);
		writeFileSync(path.join(out, 'intentions/gone.hcl'), 'Kind = "service-intentions"\n');
		assert.equal(await exportCommand('nomad', {plan: path.join(root, 'netmigrate.yml'), out, force: false}, () => {}), 0);
		assert.ok(!existsSync(path.join(out, 'intentions/gone.hcl')));
		const other = path.join(root, 'mine');
		mkdirSync(other);
		writeFileSync(path.join(other, 'notes.txt'), 'mine');
		await assert.rejects(
			exportCommand('nomad', {plan: path.join(root, 'netmigrate.yml'), out: other, force: false}, () => {}),
			/not empty and no netmigrate export wrote it/,
		);
		assert.equal(await exportCommand('nomad', {plan: path.join(root, 'netmigrate.yml'), out: other, force: true}, () => {}), 0);
		assert.equal(readFileSync(path.join(other, 'notes.txt'), 'utf8'), 'mine');
	} finally {
		if (previous === undefined) delete process.env.DB_PASSWORD;
		else process.env.DB_PASSWORD = previous;
		rmSync(root, {recursive: true});
	}
});

test("Nomad's own checks catch what the shape alone lets through (uppercase group, second network mode, shared upstream listener, sub-second check)", async () => {
	const job = await parseChecked(
		'bad.nomad.hcl',
		`job "x" {
  group "Web" {
    network {
      mode = "host"
    }
    service {
      name = "web_ui"
      connect {
        sidecar_service {
          proxy {
            upstreams {
              destination_name = "a"
              local_bind_port  = 8080
            }
            upstreams {
              destination_name = "b"
              local_bind_port  = 8080
            }
          }
        }
      }
      check {
        name     = "fast"
        type     = "script"
        task     = "gone"
        command  = "true"
        interval = "250ms"
        timeout  = "5s"
      }
    }
  }
}
`,
		jobFileSchema,
	);
	const problems = nomadRuleViolations(job).join('\n');
	for (const expected of [
		/lowercase/,
		/mode bridge/,
		/web_ui is not a lowercase RFC 1123/,
		/two upstreams listen on :8080/,
		/interval 250ms is under 1s/,
		/needs a command and a task/,
	])
		assert.match(problems, expected);
	await assert.rejects(parseChecked('bad.hcl', 'job "x" {\n  group "g" {\n    netwrok {}\n  }\n}\n', jobFileSchema), /netwrok/);
});

test("a healthcheck run more often than once a second is exported at Consul's minimum of 1s", () => {
	const root = mkdtempSync(path.join(tmpdir(), 'nm-nomad-'));
	writeFileSync(
		path.join(root, 'docker-compose.yml'),
		'services:\n  web:\n    image: nginx:1\n    healthcheck:\n      test: ["CMD", "wget", "-q", "http://127.0.0.1/"]\n      interval: 500ms\n      timeout: 1m30s\n',
	);
	const project = loadComposeProject(root, ['docker-compose.yml'], {environment: {}});
	const text =
		exportNomad(project, parsePlan(path.join(root, 'p.yml'), 'version: 1\nlegacy: x\niterations: [{name: a}]\n').plan, 0).files[0]
			?.text ?? '';
	assert.match(text, /interval = "1s"/);
	assert.match(text, /timeout {2}= "1m30s"/);
	rmSync(root, {recursive: true});
});

test('export nomad exports after the last done iteration; with no progress saved, after the whole plan; --iteration wins', () => {
	const status = (statuses: string[], saved: boolean): StackStatus => ({
		root: '/srv/x',
		project: 'x',
		iterations: statuses.map((state, index) => ({
			index,
			name: `i${index}`,
			status: state,
			...(saved && state !== 'pending' ? {progress: {} as never} : {}),
		})),
	});
	assert.equal(exportIteration(status(['pending', 'pending', 'pending'], false), undefined), 2);
	assert.equal(exportIteration(status(['done', 'done', 'pending'], true), undefined), 1);
	assert.equal(exportIteration(status(['done', 'rolled-back', 'pending'], true), undefined), 0);
	assert.equal(exportIteration(status(['rolled-back', 'pending', 'pending'], true), undefined), -1);
	assert.equal(exportIteration(status(['done', 'done', 'pending'], true), 3), 2);
	assert.throws(() => exportIteration(status(['done'], true), 2), /there is no iteration 2/);
});
