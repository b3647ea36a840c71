/**
 * `npm run bench`: every benchmark on one private engine, then bench/RESULTS.md with the
 * figures, the machine, the engine version and the date. Ratios are measured side by side in
 * this run; nothing here asserts a time.
 */
import {readFileSync, writeFileSync} from 'node:fs';
import {cpus, totalmem} from 'node:os';
import path from 'node:path';
import {downtime, type DowntimeResult} from './downtime.js';
import {benchEngine, ms, ratio, repoRoot, stopBenchEngine, useEngineTools} from './lib.js';
import type {EngineRelease} from '../source/sandbox/private-engine.js';
import {scale, type ScaleResult} from './scale.js';
import {startup, startupTable, type StartupResult} from './startup.js';
import {measureFrames, type FrameResult} from './frames.js';
import {swarmDowntime} from './swarm.js';
import {exampleMatrix, generatedMatrix, type ReachabilityResult} from './reachability.js';
import {wizardRenderOptions} from '../source/ui/render-options.js';

const sizes = (process.env.NETMIGRATE_BENCH_SIZES ?? '20,100,200').split(',').map(Number);
/** The engine matrix of the downtime and scale tables (start-up, frames and the swarm row run on the first). */
const releases = (process.env.NETMIGRATE_BENCH_ENGINES ?? '26,28').split(',') as EngineRelease[];

const log = (line: string) => process.stderr.write(`${line}\n`);

/**
 * `NETMIGRATE_BENCH_ONLY=matrix`: the reachability rows alone, on every engine, written over the
 * matrix section of bench/RESULTS.md (its last); the rest of the file is left as it was measured.
 */
async function matrixOnly(): Promise<void> {
	const matrices: ReachabilityResult[] = [];
	for (const release of releases) {
		const engine = await benchEngine(release);
		const restore = useEngineTools(release);
		const label = `Engine ${engine.version.split('+')[0]}`;
		try {
			log(`bench: ${label}, reachability matrix…`);
			matrices.push(
				{...(await exampleMatrix(engine)), engine: label},
				{...(await generatedMatrix(engine, Math.max(...sizes))), engine: label},
			);
		} finally {
			restore();
			await stopBenchEngine(engine);
		}
	}
	const file = path.join(repoRoot, 'bench/RESULTS.md');
	const before = readFileSync(file, 'utf8');
	const at = before.indexOf('## Reachability matrix');
	const table = [
		...matrixTable(matrices),
		`Matrix rows measured ${new Date().toISOString().slice(0, 10)} (\`NETMIGRATE_BENCH_ONLY=matrix npm run bench\`).`,
		'',
	];
	writeFileSync(file, [at >= 0 ? before.slice(0, at) : `${before}\n`, ...table].join('\n'));
	process.stdout.write(table.join('\n'));
}

async function main(): Promise<void> {
	if (process.env.NETMIGRATE_BENCH_ONLY === 'matrix') return matrixOnly();
	const started = Date.now();
	const downtimes: DowntimeResult[] = [];
	const scales: ScaleResult[] = [];
	let swarm: DowntimeResult[] = [];
	const matrices: ReachabilityResult[] = [];
	let boot: StartupResult | undefined;
	let frames: FrameResult | undefined;
	const versions: string[] = [];
	for (const [position, release] of releases.entries()) {
		const engine = await benchEngine(release);
		const restore = useEngineTools(release);
		const label = `Engine ${engine.version.split('+')[0]}`;
		versions.push(engine.version);
		log(`bench: private Docker ${engine.version}`);
		try {
			if (position === 0) {
				log('bench: start-up…');
				boot = await startup(engine.host);
				log('bench: bytes the wizard writes during a (simulated) iteration 1…');
				frames = await measureFrames(wizardRenderOptions);
			}
			for (const mode of ['live', 'recreate', 'manual'] as const) {
				log(`bench: ${label}, downtime, ${mode}…`);
				downtimes.push({...(await downtime(engine, mode)), engine: label});
			}
			for (const size of sizes) {
				log(`bench: ${label}, scale, ${size} services…`);
				scales.push({...(await scale(engine, size)), engine: label});
			}
			log(`bench: ${label}, reachability matrix…`);
			matrices.push(
				{...(await exampleMatrix(engine)), engine: label},
				{...(await generatedMatrix(engine, Math.max(...sizes))), engine: label},
			);
			if (position === 0) {
				log('bench: swarm, per-service downtime three ways…');
				swarm = await swarmDowntime(engine);
			}
		} finally {
			restore();
			await stopBenchEngine(engine);
		}
	}
	const text = [
		render(boot as StartupResult, frames as FrameResult, downtimes, scales, versions.join(' and '), Date.now() - started, swarm),
		...matrixTable(matrices),
	].join('\n');
	writeFileSync(path.join(repoRoot, 'bench/RESULTS.md'), text);
	process.stdout.write(text);
}

/** The reachability matrix's rows: the whole matrix by one probe per source, against one probe container per connect (a sample of them, scaled to the whole). */
function matrixTable(matrices: ReachabilityResult[]): string[] {
	return [
		'## Reachability matrix (`netmigrate verify`): one probe per source vs one probe container per connect',
		'',
		'| engine | stack | namespaces | connects | whole matrix | of which paced (gc_thresh3) | one container per connect (from a sample of N) | ratio | peak RSS |',
		'|---|---|---|---|---|---|---|---|---|',
		...matrices.map(
			(row) =>
				`| ${row.engine ?? ''} | ${row.stack} | ${row.namespaces} | ${row.connects} | ${ms(row.ms)} | ${ms(row.neighbourWaitMs)} (${row.gcThresh3}) | ${ms(row.perConnectMs)} (N=${row.sampled}) | ${ratio(row.perConnectMs, row.ms)} | ${row.peakRssMb} MB |`,
		),
		'',
		"\"Paced\": waiting so that the connects never make more than half of the host's neighbour table (`gc_thresh3`) in new entries within 50 s; overflowing it drops every namespace's packets to new neighbours, the stack's own included (source/engine/neighbours.ts). At Linux's defaults (512/1024) the 200-service matrix is paced to about 21 minutes, and `verify` says so before it starts. The whole matrix here is the probing alone (bench/reachability.ts); `verify` adds rechecks (3 to 12 s at 200 services).",
		'',
	];
}

function render(
	boot: StartupResult,
	frames: FrameResult,
	downtimes: DowntimeResult[],
	scales: ScaleResult[],
	engineVersion: string,
	totalMs: number,
	swarm: DowntimeResult[],
): string {
	const lines: string[] = [];
	lines.push('# netmigrate benchmarks', '');
	lines.push(
		`Measured ${new Date().toISOString().slice(0, 10)} on ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, Docker Engine ${engineVersion} (private dockerd). Whole run: ${ms(totalMs)}. \`npm run bench\` reproduces it.`,
		'',
	);

	lines.push(...goals(boot, downtimes, scales), '');

	lines.push('## Downtime during iteration 1 (example stack, 15 HTTP services probed every 50 ms)', '');
	lines.push(
		'| engine | way | operation | requests | failed | services with failures (failed, longest outage) |',
		'|---|---|---|---|---|---|',
	);
	for (const result of downtimes) {
		const hurt = result.services
			.filter((service) => service.failed > 0)
			.map((service) => `${service.target} (${service.failed}, ${ms(service.longestOutageMs)})`);
		const label =
			result.mode === 'manual' ? 'manual: edit files, create networks, `docker compose up -d`' : `netmigrate --mode ${result.mode}`;
		lines.push(
			`| ${result.engine ?? ''} | ${label} | ${ms(result.operationMs)} | ${result.requests} | ${result.failed} | ${hurt.join(', ') || 'none'} |`,
		);
	}
	if (downtimes.some((result) => result.requests === 0))
		lines.push('', '**The prober recorded no requests in at least one run: those rows measure nothing.**');
	for (const live of downtimes.filter((result) => result.mode === 'live')) {
		const manual = downtimes.find((result) => result.mode === 'manual' && result.engine === live.engine);
		if (!manual) continue;
		const liveHurt = live.services.filter((service) => service.failed > 0).map((service) => service.target);
		lines.push(
			'',
			`${live.engine ?? ''}: live multi-homing failed ${live.failed} requests in total${liveHurt.length > 0 ? `, all on ${liveHurt.join(', ')} (the firewall step recreates gluetun, whose namespace qbittorrent shares)` : ''}; every other service answered every request. The manual way failed ${manual.failed} requests across ${manual.services.filter((service) => service.failed > 0).length} services.`,
		);
	}

	lines.push(...swarmSection(swarm));

	lines.push('', '## Network work at scale (create networks, join each service to two)', '');
	lines.push(
		'| engine | services | networks | connects | netmigrate network steps | best bare API | bare API sequential | docker CLI loop | netmigrate ÷ best API | CLI loop ÷ netmigrate |',
		'|---|---|---|---|---|---|---|---|---|---|',
	);
	for (const result of scales) {
		const [bestConcurrency, best] = Object.entries(result.apiConcurrent).reduce(
			(winner, entry) => (entry[1] < winner[1] ? entry : winner),
			['1', result.apiSequentialMs] as [string, number],
		);
		lines.push(
			`| ${result.engine ?? ''} | ${result.services} | ${result.networks} | ${result.connects} | ${ms(result.networkStepsMs)} | ${ms(best)} (×${bestConcurrency}) | ${ms(result.apiSequentialMs)} | ${ms(result.cliLoopMs)} | ${ratio(result.networkStepsMs, best)} | ${ratio(result.cliLoopMs, result.networkStepsMs)} |`,
		);
	}
	lines.push(
		'',
		'| engine | services | plan | whole apply (incl. start-up, preflight, backup, checks, report) | rollback | peak RSS of apply |',
		'|---|---|---|---|---|---|',
	);
	for (const result of scales)
		lines.push(
			`| ${result.engine ?? ''} | ${result.services} | ${ms(result.planMs)} | ${ms(result.applyMs)} | ${ms(result.rollbackMs)} | ${result.peakRssMb.toFixed(0)} MB |`,
		);
	for (const engine of new Set(scales.map((result) => result.engine))) {
		const own = scales.filter((result) => result.engine === engine);
		if (own.length < 2) continue;
		const first = own[0] as ScaleResult;
		const last = own.at(-1) as ScaleResult;
		const slope = (last.networkStepsMs - first.networkStepsMs) / (last.services - first.services);
		lines.push(
			'',
			`${engine ?? ''} growth: ${slope.toFixed(1)} ms per extra service for the network steps (${first.services} → ${last.services} services), i.e. ${(slope / 2).toFixed(1)} ms per connect.`,
		);
	}

	lines.push(
		'',
		'## Start-up',
		'',
		...startupTable(boot, 'engine'),
		'',
		'## The wizard over a slow link',
		'',
		'| measure | figure |',
		'|---|---|',
		`| bytes written to the terminal during iteration 1 (its events replayed at the example stack's pace, 80×24, bench/frames.ts) | ${frames.bytes} in ${ms(frames.durationMs)} |`,
		`| peak bytes/s over any one second of that run (a 64 kbit/s link carries 8000) | ${frames.peakBytesPerSecond} |`,
		'',
	);
	return lines.join('\n');
}

/** Each goal of the benchmark issue against this run's figure. */
function goals(boot: StartupResult, downtimes: DowntimeResult[], scales: ScaleResult[]): string[] {
	const rows: Array<[string, string, boolean]> = [];
	for (const live of downtimes.filter((result) => result.mode === 'live')) {
		const on = live.engine ? `${live.engine}: ` : '';
		const elsewhere = live.services
			.filter((service) => service.target !== 'gluetun:8080')
			.reduce((total, service) => total + service.failed, 0);
		rows.push([
			`${on}live multi-homing: zero failed probes outside the firewall step's restart`,
			`${elsewhere} failed`,
			elsewhere === 0,
		]);
		const gluetun = live.services.find((service) => service.target === 'gluetun:8080');
		if (gluetun && live.firewallRestartMs !== undefined) {
			// One probe interval plus one request of slack: the prober only sees a gap at its next request.
			const bound = live.firewallRestartMs + 50 + 250;
			rows.push([
				`${on}firewall gap bounded by the gluetun + dependants restart`,
				`gap ${ms(gluetun.longestOutageMs)}, restart ${ms(live.firewallRestartMs)}`,
				gluetun.longestOutageMs <= bound,
			]);
		}
	}
	for (const result of scales) {
		const on = result.engine ? `${result.engine}, ` : '';
		const best = Math.min(result.apiSequentialMs, ...Object.values(result.apiConcurrent));
		rows.push([
			`${on}${result.services} services: network steps ≤ 1.15× the best bare API`,
			ratio(result.networkStepsMs, best),
			result.networkStepsMs / best <= 1.15,
		]);
		// The bare API's own lead over the CLI loop is the ceiling for any client of the engine.
		rows.push([
			`${on}${result.services} services: ≥ 1.6× faster than the CLI loop`,
			`${ratio(result.cliLoopMs, result.networkStepsMs)} (ceiling, CLI loop ÷ best API: ${ratio(result.cliLoopMs, best)})`,
			result.cliLoopMs / result.networkStepsMs >= 1.6,
		]);
	}
	for (const engine of new Set(scales.map((result) => result.engine))) {
		const largest = scales.filter((result) => result.engine === engine).at(-1);
		if (largest)
			rows.push([
				`${engine ? `${engine}, ` : ''}peak RSS of the ${largest.services}-service apply ≤ 150 MB`,
				`${largest.peakRssMb.toFixed(0)} MB`,
				largest.peakRssMb <= 150,
			]);
	}
	rows.push(
		['first frame ≤ 400 ms', ms(boot.firstFrameMs), boot.firstFrameMs <= 400],
		["the wizard's home screen, stack and engine read, ≤ 400 ms", ms(boot.homeMs), boot.homeMs <= 400],
		['`--help` ≤ 150 ms', ms(boot.helpMs), boot.helpMs <= 150],
	);
	return [
		'## Goals',
		'',
		'| goal | this run | met |',
		'|---|---|---|',
		...rows.map(([goal, figure, met]) => `| ${goal} | ${figure} | ${met ? 'yes' : '**no**'} |`),
	];
}

main().catch((error: unknown) => {
	process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	process.exitCode = 1;
});

/** The swarm row: per-service downtime of netmigrate's ordered spec updates against stop-first and `docker stack deploy`. */
function swarmSection(swarm: DowntimeResult[]): string[] {
	if (swarm.length === 0) return [];
	const label = (way: string) =>
		({
			netmigrate: 'netmigrate (start-first; stop-first for prometheus, which has a volume)',
			'stop-first': "the same spec updates, every one stop-first (swarm's default order)",
			'stack deploy': 'networks by hand, then `docker stack deploy` of the edited file',
		})[way] ?? way;
	const lines = [
		'',
		'## Downtime per service on a swarm (examples/swarm-stack, 6 HTTP services, their tasks probed by name (`tasks.<service>`) every 50 ms, single node)',
		'',
		'| way | operation | requests | failed | per service: failed, longest outage |',
		'|---|---|---|---|---|',
	];
	for (const result of swarm) {
		const per = result.services
			.map(
				(service) =>
					`${(service.target.split(':')[0] ?? '').replace(/^tasks\./, '')} ${service.failed}, ${ms(service.longestOutageMs)}`,
			)
			.join('; ');
		lines.push(`| ${label(result.mode)} | ${ms(result.operationMs)} | ${result.requests} | ${result.failed} | ${per} |`);
	}
	return lines;
}
