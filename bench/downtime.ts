/**
 * Downtime while iteration 1 runs on the example stack: a prober container on the legacy
 * network requests every HTTP service every 50 ms (one loop per service); we count failed
 * requests and the longest outage per service, for `--mode live`, `--mode recreate`, and the
 * manual way (the same compose edits, the networks created by hand, one `docker compose up -d`).
 */
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {runCompose} from '../source/engine/compose.js';
import {loadPlan} from '../source/plan/load.js';
import {discoveredFromFiles} from '../steps/context.js';
import {planIteration} from '../steps/index.js';
import {docker, netmigrate, repoRoot, scratchCopy, timed, type BenchEngine} from './lib.js';

const targets = [
	'traefik:80',
	'jellyfin:8096',
	'jellyseerr:5055',
	'web-ui:80',
	'sonarr:8989',
	'radarr:7878',
	'prowlarr:9696',
	'bazarr:6767',
	'gluetun:8080',
	'prometheus:9090',
	'grafana:3000',
	'cadvisor:8080',
	'node-exporter:9100',
	'alertmanager:9093',
	'dozzle:8080',
];

export type ServiceDowntime = {target: string; requests: number; failed: number; longestOutageMs: number};
export type DowntimeResult = {
	/** Which engine, in a run over several. */
	engine?: string;
	mode: string;
	operationMs: number;
	requests: number;
	failed: number;
	services: ServiceDowntime[];
	/** How long the firewall step's recreate of gluetun (and the services in its namespace) took, as netmigrate journaled it. */
	firewallRestartMs?: number;
};

/** A shell loop per target requesting it every 50 ms, one line per request: `<time> <target> ok|fail`. */
export const proberScript = (list: string[]) => `for t in ${list.join(' ')}; do
  ( while :; do
      s=$(echo | ts "%.s")
      if timeout 2 wget -q -O /dev/null "http://$t/" 2>/dev/null; then r=ok; else r=fail; fi
      echo "$s $t $r"
      usleep 50000
    done ) &
done
wait`;

export async function downtime(engine: BenchEngine, mode: 'live' | 'recreate' | 'manual'): Promise<DowntimeResult> {
	const stack = scratchCopy(path.join(repoRoot, 'examples/media-stack'));
	const project = {host: engine.host, directory: stack.root, files: ['docker-compose.yml']};
	try {
		await runCompose(project, ['up', '-d', '--wait']);
		const prober = await engine.docker.createContainer({
			Image: 'netmigrate/busybox:1',
			name: 'nm-bench-prober',
			Cmd: ['sh', '-c', proberScript(targets)],
			HostConfig: {NetworkMode: 'media-network', Init: true},
		});
		await prober.start();
		await new Promise((resolve) => setTimeout(resolve, 1500));
		const operation = await timed(async () => {
			if (mode === 'manual') return manualMigration(engine, stack.root);
			const result = await netmigrate(['apply', '--yes', '--json', '--no-matrix', '--mode', mode, '--host', engine.host], stack.root);
			if (result.exitCode !== 0) throw new Error(`apply --mode ${mode} failed:\n${result.all}`);
			return firewallRestart(result.stdout);
		});
		await new Promise((resolve) => setTimeout(resolve, 1500));
		await prober.stop({t: 1}).catch(() => undefined);
		const logs = (await docker(engine.host, ['logs', 'nm-bench-prober'])).stdout;
		await prober.remove({force: true});
		return {
			mode,
			operationMs: operation.ms,
			...summarise(logs, targets),
			...(operation.value === undefined ? {} : {firewallRestartMs: operation.value}),
		};
	} finally {
		await runCompose(project, ['down', '--timeout', '1']).catch(() => undefined);
		for (const network of await engine.docker.listNetworks()) {
			if (!['bridge', 'host', 'none'].includes(network.Name))
				await engine.docker
					.getNetwork(network.Id)
					.remove()
					.catch(() => undefined);
		}
		stack.remove();
	}
}

function firewallRestart(events: string): number | undefined {
	const recreates = events
		.split('\n')
		.filter((line) => line.startsWith('{'))
		.map((line) => JSON.parse(line) as {type: string; step?: string; description?: string; durationMs?: number})
		.filter((event) => event.type === 'action-done' && event.step === 'firewall' && /recreate/i.test(event.description ?? ''));
	return recreates.length > 0 ? Math.max(...recreates.map((event) => event.durationMs ?? 0)) : undefined;
}

/** What reference 003 did by hand: edit the files, create the networks, `docker compose up -d`. */
async function manualMigration(engine: BenchEngine, root: string): Promise<void> {
	const loaded = loadPlan(path.join(root, 'netmigrate.yml'));
	const planned = planIteration(loaded.plan, 0, loaded.project, discoveredFromFiles());
	for (const file of planned.files) writeFileSync(file.path, file.after);
	for (const [name, network] of Object.entries(loaded.plan.networks)) {
		await docker(engine.host, ['network', 'create', '--subnet', network.subnet, ...(network.internal ? ['--internal'] : []), name]);
	}
	await runCompose({host: engine.host, directory: root, files: ['docker-compose.yml']}, ['up', '-d', '--wait']);
}

/** Requests, failures and the longest outage per target, from the prober's log. */
export function summarise(logs: string, targets: string[]): Omit<DowntimeResult, 'mode' | 'operationMs'> {
	const byTarget = new Map<string, Array<{t: number; ok: boolean}>>();
	for (const line of logs.split('\n')) {
		const [time, target, result] = line.trim().split(/\s+/);
		if (!time || !target || !result) continue;
		const list = byTarget.get(target) ?? [];
		list.push({t: Number(time) * 1000, ok: result === 'ok'});
		byTarget.set(target, list);
	}
	const services: ServiceDowntime[] = targets.map((target) => {
		const samples = byTarget.get(target) ?? [];
		let longest = 0;
		let outageStart: number | undefined;
		for (const sample of samples) {
			if (!sample.ok && outageStart === undefined) outageStart = sample.t;
			if (sample.ok && outageStart !== undefined) {
				longest = Math.max(longest, sample.t - outageStart);
				outageStart = undefined;
			}
		}
		if (outageStart !== undefined) longest = Math.max(longest, (samples.at(-1)?.t ?? outageStart) - outageStart);
		return {target, requests: samples.length, failed: samples.filter((sample) => !sample.ok).length, longestOutageMs: longest};
	});
	return {
		requests: services.reduce((total, item) => total + item.requests, 0),
		failed: services.reduce((total, item) => total + item.failed, 0),
		services,
	};
}
